using System.IO.Compression;
using System.Text.RegularExpressions;
using Habitat.Imaging;
using Habitat.Imaging.IO;
using Habitat.Imaging.IO.Dicom;
using Habitat.Server.Domain;
using Habitat.Server.Storage;
using Microsoft.AspNetCore.Http;

namespace Habitat.Server.Api;

/// <summary>An upload refused: the message is for the user; the status is 400, 413 (too large) or 415 (not an image).</summary>
public sealed class UploadRejectedException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}

/// <summary>A DICOM series found in an uploaded zip, with the sequence role suggested from its metadata.</summary>
public sealed record SeriesListing(string SeriesInstanceUid, string Description, string Modality, int Columns, int Rows, int Slices, string? SuggestedRole);

/// <summary>
/// Study upload: separate NIfTI/NRRD files (the form field names the role) or one zip of DICOM files plus role
/// choices per series, and the habitat label map. Every part is written under a random name in a private temporary
/// folder (upload names never touch the file system), read back as an image to prove it is one, checked to share the
/// label map's grid, and only then stored as blobs — so a refused upload stores nothing.
/// </summary>
public sealed partial class StudyUpload(ServerOptions limits, BlobStore blobs, string tempRoot)
{
    public sealed record Accepted(string Patient, string? StudyDate, string Description, IReadOnlyList<StudyFile> Files);

    public async Task<Accepted> ReceiveAsync(IFormCollection form, CancellationToken ct)
    {
        var patient = form["patient"].ToString().Trim();
        if (!PseudonymPattern().IsMatch(patient))
            throw new UploadRejectedException(400, "patient: a pseudonymous id of 1–64 letters, digits, '.', '_' or '-' is required (never a name)");
        var studyDate = form["studyDate"].ToString().Trim();
        if (studyDate.Length > 0 && !DateOnly.TryParseExact(studyDate, "yyyy-MM-dd", out _))
            throw new UploadRejectedException(400, "studyDate: expected yyyy-MM-dd");
        var description = form["description"].ToString().Trim();
        if (description.Length > 200) throw new UploadRejectedException(400, "description: at most 200 characters");

        var work = Path.Combine(tempRoot, "upload-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        try
        {
            var staged = new List<(StudyFile File, string Path, Grid Grid)>();
            foreach (var file in form.Files)
            {
                if (file.Name == "dicom") staged.AddRange(await StageDicomZipAsync(file, form, work, ct));
                else if (FileRoles.IsKnown(file.Name)) staged.Add(await StageImageAsync(file, work, ct));
                else throw new UploadRejectedException(400, $"unknown file field '{Clip(file.Name)}': use T1c, FLAIR, T2, T1, label_map, brain_mask or dicom");
            }
            var duplicate = staged.GroupBy(s => s.File.Role).FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null) throw new UploadRejectedException(400, $"two files for the role {duplicate.Key}");
            var labelMap = staged.FirstOrDefault(s => s.File.Role == FileRoles.LabelMap);
            if (labelMap.File is null) throw new UploadRejectedException(400, "label_map: the habitat label map is required");
            if (!staged.Any(s => FileRoles.IsSequence(s.File.Role))) throw new UploadRejectedException(400, "no sequence: upload at least T1c or FLAIR");
            foreach (var s in staged)
                try { labelMap.Grid.EnsureMatches(s.Grid, FileRoles.LabelMap, s.File.Role); }
                catch (GeometryMismatchException e) { throw new UploadRejectedException(400, e.Message); }

            var stored = new List<StudyFile>();
            foreach (var s in staged) stored.Add(s.File with { Blob = await blobs.PutFileAsync(s.Path, ct) });
            return new Accepted(patient, studyDate.Length == 0 ? null : studyDate, description, stored);
        }
        finally { Directory.Delete(work, recursive: true); }
    }

    /// <summary>Lists the series of a DICOM zip with suggested roles; stores nothing.</summary>
    public async Task<IReadOnlyList<SeriesListing>> InspectDicomAsync(IFormFile zip, CancellationToken ct)
    {
        var work = Path.Combine(tempRoot, "inspect-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        try
        {
            var folder = await ExtractZipAsync(zip, work, ct);
            return DicomSeriesReader.Scan(folder).Series.Select(Listing).ToArray();
        }
        finally { Directory.Delete(work, recursive: true); }
    }

    private async Task<(StudyFile, string, Grid)> StageImageAsync(IFormFile file, string work, CancellationToken ct)
    {
        var path = Path.Combine(work, Guid.NewGuid().ToString("N"));
        await using (var target = File.Create(path)) await file.CopyToAsync(target, ct);
        Grid grid;
        try
        {
            grid = file.Name is FileRoles.LabelMap or FileRoles.BrainMask ? ImageFile.ReadLabels(path).Grid : ImageFile.Read(path).Grid;
        }
        catch (Exception e) when (e is ImageFormatException or InvalidDataException or FileNotFoundException)
        {
            throw new UploadRejectedException(415, $"{file.Name} ('{Clip(file.FileName)}'): not a readable NIfTI/NRRD/MetaImage image: {(e is ImageFormatException f ? f.Problem : e.Message)}");
        }
        return (new StudyFile(file.Name, "", Clip(file.FileName), "", null, [grid.Nx, grid.Ny, grid.Nz]), path, grid);
    }

    private async Task<IEnumerable<(StudyFile, string, Grid)>> StageDicomZipAsync(IFormFile zip, IFormCollection form, string work, CancellationToken ct)
    {
        var folder = await ExtractZipAsync(zip, work, ct);
        var found = DicomSeriesReader.Scan(folder);
        if (found.Series.Count == 0) throw new UploadRejectedException(415, "dicom: the zip holds no DICOM image series");
        var result = new List<(StudyFile, string, Grid)>();
        foreach (var series in found.Series)
        {
            var listing = Listing(series);
            var chosen = form["series." + series.SeriesInstanceUid].ToString();
            var role = chosen.Length > 0 ? chosen : listing.SuggestedRole;
            if (role is null or "skip") continue;
            if (!FileRoles.IsSequence(role)) throw new UploadRejectedException(400, $"series {series.SeriesInstanceUid}: unknown role '{Clip(role)}'");
            Volume volume;
            try { volume = DicomSeriesReader.Read(folder, new DicomReadOptions(series.SeriesInstanceUid)).Volume; }
            catch (ImageFormatException e) { throw new UploadRejectedException(415, $"dicom series '{series.Description}': {e.Problem}"); }
            var path = Path.Combine(work, Guid.NewGuid().ToString("N") + ".nii.gz");
            ImageFile.Write(volume, path);
            result.Add((new StudyFile(role, "", Clip(zip.FileName), series.Description, listing.SuggestedRole, [volume.Grid.Nx, volume.Grid.Ny, volume.Grid.Nz]), path, volume.Grid));
        }
        if (result.Count == 0) throw new UploadRejectedException(400, "dicom: no series was given a role (none could be suggested from the metadata)");
        return result;
    }

    /// <summary>Extracts a zip into numbered files. Refuses more than MaxZipEntries entries or more than MaxZipUncompressedBytes
    /// in total, counting the bytes actually inflated (declared sizes can lie).</summary>
    private async Task<string> ExtractZipAsync(IFormFile zipFile, string work, CancellationToken ct)
    {
        var folder = Path.Combine(work, "dicom");
        Directory.CreateDirectory(folder);
        var zipPath = Path.Combine(work, Guid.NewGuid().ToString("N") + ".zip");
        await using (var copy = File.Create(zipPath)) await zipFile.CopyToAsync(copy, ct);
        ZipArchive archive;
        try { archive = new ZipArchive(File.OpenRead(zipPath), ZipArchiveMode.Read); }
        catch (InvalidDataException) { throw new UploadRejectedException(415, $"dicom ('{Clip(zipFile.FileName)}'): not a zip file"); }
        using (archive)
        {
            if (archive.Entries.Count > limits.MaxZipEntries)
                throw new UploadRejectedException(413, $"dicom: the zip has {archive.Entries.Count} entries, at most {limits.MaxZipEntries} are accepted");
            long total = 0;
            int index = 0;
            var buffer = new byte[1 << 16];
            foreach (var entry in archive.Entries)
            {
                if (entry.FullName.EndsWith('/')) continue;
                total += entry.Length;
                if (total > limits.MaxZipUncompressedBytes) throw ZipTooLarge();
                await using var source = entry.Open();
                await using var target = File.Create(Path.Combine(folder, $"{index++:D6}.dcm"));
                long written = 0;
                int n;
                while ((n = await source.ReadAsync(buffer, ct)) > 0)
                {
                    written += n;
                    if (written > entry.Length || total - entry.Length + written > limits.MaxZipUncompressedBytes) throw ZipTooLarge();
                    await target.WriteAsync(buffer.AsMemory(0, n), ct);
                }
            }
        }
        return folder;
    }

    private UploadRejectedException ZipTooLarge() =>
        new(413, $"dicom: the zip inflates to more than {limits.MaxZipUncompressedBytes} bytes (a zip bomb or too large a study)");

    /// <summary>T1c, FLAIR, T2 or T1 from the series description; else from echo and repetition times. Planning scans
    /// (localizer, scout, survey) get none, whatever their timing.</summary>
    public static string? SuggestRole(string description, double? echoTimeMs, double? repetitionTimeMs)
    {
        var d = description.ToUpperInvariant();
        if (PlanningScanPattern().IsMatch(d)) return null;
        if (d.Contains("FLAIR")) return "FLAIR";
        bool t1 = T1Pattern().IsMatch(d) || d.Contains("MPRAGE") || d.Contains("SPGR");
        if (t1 && ContrastPattern().IsMatch(d)) return "T1c";
        if (T2Pattern().IsMatch(d)) return "T2";
        if (t1) return "T1";
        if (echoTimeMs is { } te && repetitionTimeMs is { } tr)
        {
            if (te >= 70 && tr >= 6000 && d.Contains("IR")) return "FLAIR";
            if (te >= 70 && tr >= 2000) return "T2";
            if (te <= 30 && tr <= 1000) return "T1";
        }
        return null;
    }

    private static SeriesListing Listing(DicomSeriesInfo s) =>
        new(s.SeriesInstanceUid, s.Description, s.Modality, s.Columns, s.Rows, s.SliceCount, SuggestRole(s.Description, s.EchoTime, s.RepetitionTime));

    private static string Clip(string s) => s.Length <= 120 ? s : s[..120];

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")] private static partial Regex PseudonymPattern();
    [GeneratedRegex("LOCALI[SZ]ER|SCOUT|SURVEY|3[ -]?PLANE")] private static partial Regex PlanningScanPattern();
    [GeneratedRegex("(?<![A-Z0-9])T1")] private static partial Regex T1Pattern();
    [GeneratedRegex("(?<![A-Z0-9])T2")] private static partial Regex T2Pattern();
    [GeneratedRegex("(\\+C|(?<![A-Z])GD|GADO|POST|CONTRAST|(?<![A-Z])CE(?![A-Z])|T1C)")] private static partial Regex ContrastPattern();
}
