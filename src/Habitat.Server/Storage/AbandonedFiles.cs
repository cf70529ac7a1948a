namespace Habitat.Server.Storage;

/// <summary>
/// Removes what a killed server leaves behind: half-written blobs (<c>blobs/.incoming-*</c>) and scratch files and
/// folders under <c>tmp/</c>. Only entries untouched for <see cref="MinimumAge"/> are removed, so the uploads and
/// analyses of another live instance sharing the data folder are never disturbed.
/// </summary>
public static class AbandonedFiles
{
    public static readonly TimeSpan MinimumAge = TimeSpan.FromHours(6);

    /// <summary>Removes the abandoned entries at start-up; returns how many were removed.</summary>
    public static int Sweep(string tempDir, string blobRoot, DateTime nowUtc)
    {
        int removed = 0;
        if (Directory.Exists(tempDir))
            foreach (var entry in new DirectoryInfo(tempDir).EnumerateFileSystemInfos())
                removed += RemoveIfOld(entry, nowUtc);
        if (Directory.Exists(blobRoot))
            foreach (var entry in new DirectoryInfo(blobRoot).EnumerateFiles(BlobStore.IncomingPrefix + "*"))
                removed += RemoveIfOld(entry, nowUtc);
        return removed;
    }

    private static int RemoveIfOld(FileSystemInfo entry, DateTime nowUtc)
    {
        if (nowUtc - entry.LastWriteTimeUtc < MinimumAge) return 0;
        try
        {
            if (entry is DirectoryInfo folder) folder.Delete(recursive: true);
            else entry.Delete();
            return 1;
        }
        catch (IOException) { return 0; } // in use or already gone: try again at the next start
        catch (UnauthorizedAccessException) { return 0; }
    }
}
