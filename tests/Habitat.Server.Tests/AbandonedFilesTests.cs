using Habitat.Server.Storage;
using Habitat.Testing;

namespace Habitat.Server.Tests;

public sealed class AbandonedFilesTests
{
    [Fact]
    public async Task Start_up_removes_old_scratch_files_and_half_written_blobs_but_keeps_recent_ones_and_stored_blobs()
    {
        using var data = new TempDir();
        var temp = Directory.CreateDirectory(Path.Combine(data.Path, "tmp")).FullName;
        var blobs = new BlobStore(Path.Combine(data.Path, "blobs"));
        var stored = await blobs.PutAsync(new MemoryStream([1, 2, 3]));
        var now = DateTime.UtcNow;
        var old = now - AbandonedFiles.MinimumAge - TimeSpan.FromMinutes(1);

        string Make(string path, DateTime written)
        {
            File.WriteAllBytes(path, [9]);
            File.SetLastWriteTimeUtc(path, written);
            return path;
        }
        var oldScratch = Make(Path.Combine(temp, "a.nii.gz"), old);
        var oldFolder = Directory.CreateDirectory(Path.Combine(temp, "model-job")).FullName;
        Make(Path.Combine(oldFolder, "x"), old);
        Directory.SetLastWriteTimeUtc(oldFolder, old);
        var freshScratch = Make(Path.Combine(temp, "b.nii.gz"), now);
        var oldIncoming = Make(Path.Combine(blobs.Root, BlobStore.IncomingPrefix + "1"), old);
        var freshIncoming = Make(Path.Combine(blobs.Root, BlobStore.IncomingPrefix + "2"), now);
        File.SetLastWriteTimeUtc(blobs.PathOf(stored), old);

        Assert.Equal(3, AbandonedFiles.Sweep(temp, blobs.Root, now));
        Assert.False(File.Exists(oldScratch));
        Assert.False(Directory.Exists(oldFolder));
        Assert.False(File.Exists(oldIncoming));
        Assert.True(File.Exists(freshScratch));
        Assert.True(File.Exists(freshIncoming));
        Assert.True(File.Exists(blobs.PathOf(stored)));
    }
}
