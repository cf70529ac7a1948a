using System.Security.Cryptography;

namespace Habitat.Server.Storage;

/// <summary>
/// Files stored by content: the name is the SHA-256 of the bytes (<c>blobs/ab/abcdef…</c>), written to a temporary
/// file in the same folder and renamed into place, so a crash leaves either the whole file or none, and the same
/// content is stored once. Names from uploads never reach the file system.
/// </summary>
public sealed class BlobStore(string root)
{
    public string Root { get; } = Path.GetFullPath(root);

    /// <summary>Name prefix of blobs being written (see <see cref="AbandonedFiles"/>).</summary>
    public const string IncomingPrefix = ".incoming-";

    /// <summary>Copies <paramref name="content"/> into the store; returns its hash (the blob id).</summary>
    public async Task<string> PutAsync(Stream content, CancellationToken ct = default)
    {
        Directory.CreateDirectory(Root);
        var temp = Path.Combine(Root, IncomingPrefix + Guid.NewGuid().ToString("N"));
        string hash;
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            using (var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            {
                var buffer = new byte[1 << 16];
                int n;
                while ((n = await content.ReadAsync(buffer, ct)) > 0)
                {
                    sha.AppendData(buffer, 0, n);
                    await file.WriteAsync(buffer.AsMemory(0, n), ct);
                }
                await file.FlushAsync(ct);
                file.Flush(flushToDisk: true);
                hash = Convert.ToHexStringLower(sha.GetHashAndReset());
            }
            var target = PathOf(hash);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Move(temp, target, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
        return hash;
    }

    public async Task<string> PutFileAsync(string path, CancellationToken ct = default)
    {
        await using var stream = File.OpenRead(path);
        return await PutAsync(stream, ct);
    }

    /// <summary>The path of a stored blob; the id must be a SHA-256 hex string (so it can never name another place).</summary>
    public string PathOf(string hash)
    {
        if (hash.Length != 64 || !hash.All(char.IsAsciiHexDigitLower)) throw new ArgumentException($"'{hash}' is not a blob id");
        return Path.Combine(Root, hash[..2], hash);
    }

    public bool Exists(string hash) => File.Exists(PathOf(hash));
}
