using System.IO.Compression;
using System.Net;
using Habitat.Server.Domain;

namespace Habitat.Server.Tests;

public sealed class UploadTests
{
    private static int Blobs(TestServerHost host) =>
        Directory.Exists(Path.Combine(host.Data.Path, "blobs")) ? Directory.GetFiles(Path.Combine(host.Data.Path, "blobs"), "*", SearchOption.AllDirectories).Length : 0;

    private static async Task<long> Count(TestServerHost host, string table) =>
        (await host.Db.QueryAsync($"SELECT COUNT(*) FROM {table}", null, r => Convert.ToInt64(r.GetValue(0))))[0];

    private static async Task AssertNothingStored(TestServerHost host)
    {
        Assert.Equal(0, Blobs(host));
        Assert.Equal(0, await Count(host, "studies"));
        Assert.Equal(0, await Count(host, "study_files"));
        Assert.Equal(0, await Count(host, "patients"));
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(host.Data.Path, "tmp")));
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task A_study_is_stored_content_addressed_and_upload_names_never_become_paths(string engine)
    {
        await using var host = await TestServerHost.StartAsync(engine);
        using var files = new Habitat.Testing.TempDir();
        var caseDir = SyntheticFiles.Write(files.Path);
        var client = await host.AsRoleAsync(Roles.Clinician);
        var form = SyntheticFiles.Upload(caseDir, "PSN-001", brainMask: false);
        SyntheticFiles.Add(form, "brain_mask", Path.Combine(caseDir, "brain_mask.nii.gz"), "../../escaped.nii.gz");
        var response = await client.PostAsync("/api/studies", form);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var study = await response.JsonAsync();
        Assert.Equal("PSN-001", study.GetProperty("patient").GetString());
        var stored = study.GetProperty("files").EnumerateArray().ToDictionary(f => f.GetProperty("role").GetString()!, f => f.GetProperty("blob").GetString()!);
        Assert.Equal(["FLAIR", "T1c", "brain_mask", "label_map"], stored.Keys.Order(StringComparer.Ordinal));
        foreach (var (role, blob) in stored)
        {
            var path = Path.Combine(host.Data.Path, "blobs", blob[..2], blob);
            var expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path)));
            Assert.Equal(expected, blob);
        }
        Assert.False(File.Exists(Path.GetFullPath(Path.Combine(host.Data.Path, "tmp", "../../escaped.nii.gz"))));
        Assert.False(File.Exists(Path.GetFullPath(Path.Combine(host.Data.Path, "../../escaped.nii.gz"))));
        Assert.Equal(4, Blobs(host));
        var read = await (await client.GetAsync($"/api/studies/{study.GetProperty("id").GetString()}")).JsonAsync();
        Assert.Equal("../../escaped.nii.gz", read.GetProperty("study").GetProperty("files").EnumerateArray()
            .Single(f => f.GetProperty("role").GetString() == "brain_mask").GetProperty("originalName").GetString());
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task A_non_image_file_is_refused_with_415_and_nothing_is_stored(string engine)
    {
        await using var host = await TestServerHost.StartAsync(engine);
        using var files = new Habitat.Testing.TempDir();
        var caseDir = SyntheticFiles.Write(files.Path);
        File.WriteAllText(files.File("notes.nii.gz"), "this is a text file, not an image\n");
        var form = SyntheticFiles.Upload(caseDir, "PSN-002", brainMask: false);
        SyntheticFiles.Add(form, "brain_mask", files.File("notes.nii.gz"));
        var response = await (await host.AsRoleAsync(Roles.Clinician)).PostAsync("/api/studies", form);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("brain_mask ('notes.nii.gz'): not a readable", (await response.JsonAsync()).GetProperty("error").GetString());
        await AssertNothingStored(host);
    }

    [Fact]
    public async Task An_oversize_upload_is_refused_with_413_and_nothing_is_stored()
    {
        await using var host = await TestServerHost.StartAsync("sqlite", o => o with { MaxUploadBytes = 64 * 1024 });
        using var files = new Habitat.Testing.TempDir();
        var response = await (await host.AsRoleAsync(Roles.Clinician)).PostAsync("/api/studies", SyntheticFiles.Upload(SyntheticFiles.Write(files.Path), "PSN-003"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        await AssertNothingStored(host);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task A_zip_bomb_and_a_zip_of_too_many_entries_are_refused_with_413(string engine)
    {
        await using var host = await TestServerHost.StartAsync(engine, o => o with { MaxZipUncompressedBytes = 8 << 20, MaxZipEntries = 100 });
        var client = await host.AsRoleAsync(Roles.Clinician);
        using var files = new Habitat.Testing.TempDir();
        var caseDir = SyntheticFiles.Write(files.Path);

        var bomb = new MemoryStream();
        using (var zip = new ZipArchive(bomb, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var entry = zip.CreateEntry("../../bomb.dcm", CompressionLevel.SmallestSize).Open();
            var zeros = new byte[1 << 20];
            for (int n = 0; n < 64; n++) entry.Write(zeros); // 64 MiB of zeros, ~64 KiB compressed
        }
        Assert.True(bomb.Length < 1 << 20);
        var response = await client.PostAsync("/api/studies", WithZip(caseDir, bomb.ToArray()));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("zip bomb", (await response.JsonAsync()).GetProperty("error").GetString());
        Assert.False(File.Exists(Path.GetFullPath(Path.Combine(host.Data.Path, "tmp", "x", "../../bomb.dcm"))));

        var many = new MemoryStream();
        using (var zip = new ZipArchive(many, ZipArchiveMode.Create, leaveOpen: true))
            for (int n = 0; n < 101; n++) zip.CreateEntry($"f{n}.dcm");
        response = await client.PostAsync("/api/studies", WithZip(caseDir, many.ToArray()));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        await AssertNothingStored(host);

        var notZip = await client.PostAsync("/api/studies", WithZip(caseDir, "plain text"u8.ToArray()));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, notZip.StatusCode);
        await AssertNothingStored(host);
    }

    private static MultipartFormDataContent WithZip(string caseDir, byte[] zip)
    {
        var form = new MultipartFormDataContent { { new StringContent("PSN-004"), "patient" }, { new ByteArrayContent(zip), "dicom", "../../study.zip" } };
        SyntheticFiles.Add(form, "label_map", Path.Combine(caseDir, "habitat.nii.gz"));
        return form;
    }

    [Fact]
    public async Task A_label_map_on_another_grid_and_a_missing_label_map_are_refused()
    {
        await using var host = await TestServerHost.StartAsync("sqlite");
        var client = await host.AsRoleAsync(Roles.Clinician);
        using var files = new Habitat.Testing.TempDir();
        var caseDir = SyntheticFiles.Write(files.Path);
        var other = new Habitat.Imaging.LabelVolume(Habitat.Imaging.Grid.Create(10, 10, 10, Habitat.Imaging.Vec3.One), new int[1000]);
        Habitat.Imaging.IO.ImageFile.Write(other, files.File("small.nii.gz"));
        var form = new MultipartFormDataContent { { new StringContent("PSN-005"), "patient" } };
        SyntheticFiles.Add(form, "T1c", Path.Combine(caseDir, "T1c.nii.gz"));
        SyntheticFiles.Add(form, "label_map", files.File("small.nii.gz"));
        var response = await client.PostAsync("/api/studies", form);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("geometry", (await response.JsonAsync()).GetProperty("error").GetString());

        form = new MultipartFormDataContent { { new StringContent("PSN-005"), "patient" } };
        SyntheticFiles.Add(form, "T1c", Path.Combine(caseDir, "T1c.nii.gz"));
        response = await client.PostAsync("/api/studies", form);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("label map is required", (await response.JsonAsync()).GetProperty("error").GetString());

        form = SyntheticFiles.Upload(caseDir, "John Smith");
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync("/api/studies", form)).StatusCode);
        await AssertNothingStored(host);
    }

    [Theory]
    [InlineData("AX T1 POST GD", null, null, "T1c")]
    [InlineData("t1_mprage_ce", null, null, "T1c")]
    [InlineData("Ax FLAIR", null, null, "FLAIR")]
    [InlineData("AX T2 TSE", null, null, "T2")]
    [InlineData("SAG T1 SE", null, null, "T1")]
    [InlineData("series 5", 100.0, 4000.0, "T2")]
    [InlineData("series 6", 12.0, 500.0, "T1")]
    [InlineData("localizer", null, null, null)]
    [InlineData("3-plane LOC scout", 5.0, 8.0, null)]
    public void Sequence_roles_are_suggested_from_the_series_metadata(string description, double? te, double? tr, string? expected) =>
        Assert.Equal(expected, Api.StudyUpload.SuggestRole(description, te, tr));
}
