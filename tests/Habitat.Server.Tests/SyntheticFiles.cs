using System.Net.Http.Headers;
using Habitat.Imaging;
using Habitat.Server.Analysis;
using Habitat.Testing;
using Habitat.Synthesis;

namespace Habitat.Server.Tests;

/// <summary>Small synthetic studies (48³ voxels of 2 mm) written as NIfTI files, and their multipart upload.</summary>
public static class SyntheticFiles
{
    public static readonly SynthesisSettings Settings = new(cases: 4, sites: 1, seed: 77, new Vec3(2, 2, 2), new Vec3(96, 96, 96));

    private static readonly Lazy<string> SharedDemoModel = new(() =>
    {
        var folder = new TempDir();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => folder.Dispose();
        var dir = folder.File("demo-model");
        DemoModel.Train(new DemoModelOptions(Cases: 12, Seed: 5), new HabitatStudyFeatureExtractor()).Save(dir);
        return dir;
    });

    /// <summary>A synthetic demo model bundle folder (12 generated studies), trained once per test run and shared by the tests that only need some model.</summary>
    public static string DemoModelDir => SharedDemoModel.Value;

    /// <summary>Writes case <paramref name="index"/> into <paramref name="dir"/>: T1c, FLAIR, habitat and brain mask .nii.gz.</summary>
    public static string Write(string dir, int index = 0)
    {
        var plan = CohortPlan.Create(Settings);
        var c = plan.Cases[index];
        var caseDir = Path.Combine(dir, c.CaseId);
        CohortWriter.WriteStudy(StudyGenerator.Generate(plan.Settings, plan.Sites[c.Site], c), caseDir);
        return caseDir;
    }

    public static MultipartFormDataContent Upload(string caseDir, string patient, bool brainMask = true)
    {
        var form = new MultipartFormDataContent { { new StringContent(patient), "patient" }, { new StringContent("2026-11-20"), "studyDate" } };
        Add(form, "T1c", Path.Combine(caseDir, "T1c.nii.gz"));
        Add(form, "FLAIR", Path.Combine(caseDir, "FLAIR.nii.gz"));
        Add(form, "label_map", Path.Combine(caseDir, CohortWriter.HabitatFile));
        if (brainMask) Add(form, "brain_mask", Path.Combine(caseDir, CohortWriter.BrainMaskFile));
        return form;
    }

    public static void Add(MultipartFormDataContent form, string field, string path, string? fileName = null)
    {
        var content = new ByteArrayContent(File.ReadAllBytes(path));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(content, field, fileName ?? Path.GetFileName(path));
    }
}
