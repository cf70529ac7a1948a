using Habitat.Imaging;
using Habitat.Imaging.IO;
using Habitat.Radiomics.Habitat;
using Habitat.Radiomics.Settings;
using Habitat.Testing;

namespace Habitat.Radiomics.Tests.Habitat;

public class StudyTests
{
    private static readonly IbsiSettings Settings = SettingsLoader.Parse("""
        discretisation: {method: fixed_bin_number, bin_count: 16}
        texture: {distance: 1, aggregations: ["3D, averaged"]}
        families: [morphology, intensity_statistics, glcm]
        """, "test settings");

    /// <summary>A small study: a brain box, an enhancing shell around a necrotic core, oedema around it; optionally no core.</summary>
    private static void WriteStudy(string dir, bool withCore = true, Grid? flairGrid = null)
    {
        Directory.CreateDirectory(dir);
        var grid = Grid.Create(40, 40, 30, new Vec3(1, 1, 1.2));
        var labels = new int[grid.Count];
        var brain = new int[grid.Count];
        var t1c = new float[grid.Count];
        var random = new Random(3);
        for (int k = 0; k < 30; k++) for (int j = 0; j < 40; j++) for (int i = 0; i < 40; i++)
        {
            int n = grid.Index(i, j, k);
            double r = (grid.IndexToPhysical(i, j, k) - new Vec3(20, 20, 18)).Length;
            labels[n] = r <= 4 && withCore ? 1 : r <= 7 ? 3 : r <= 10 ? 2 : 0;
            brain[n] = i is > 2 and < 37 && j is > 2 and < 37 && k is > 1 and < 28 ? 1 : 0;
            t1c[n] = (float)(100 + 50 * (labels[n] == 3 ? 1 : 0) + 10 * random.NextDouble());
        }
        ImageFile.Write(new Volume(grid, t1c), Path.Combine(dir, "T1c.nii.gz"));
        var flair = flairGrid is null ? new Volume(grid, t1c.Select(v => 2 * v).ToArray()) : Volume.Zeros(flairGrid);
        ImageFile.Write(flair, Path.Combine(dir, "FLAIR.nii.gz"));
        ImageFile.Write(new LabelVolume(grid, labels), Path.Combine(dir, "habitat.nii.gz"));
        ImageFile.Write(new LabelVolume(grid, brain), Path.Combine(dir, "brain_mask.nii.gz"));
    }

    [Fact]
    public void A_study_folder_gives_named_features_per_sequence_and_compartment()
    {
        using var tmp = new TempDir();
        var dir = Path.Combine(tmp.Path, "case-1");
        WriteStudy(dir);
        var files = StudyFiles.FromFolder(dir, new HabitatSettings());
        Assert.Equal("case-1", files.Id);
        var row = new StudyExtractor(Settings).Extract(files.Load(new HabitatSettings()));
        var values = row.Items.ToDictionary(i => i.Name, i => i);
        Assert.True(double.IsFinite(values["T1c.enhancing.cm.joint_entr.3D_averaged"].Value));
        Assert.True(double.IsFinite(values["FLAIR.shell_0_5mm.stat.mean"].Value));
        Assert.True(double.IsFinite(values["shape.enhancing.curvedness.mean"].Value));
        Assert.True(double.IsFinite(values["shape.oedema.contour.roughness.mean"].Value));
        Assert.True(double.IsFinite(values["shape.whole_lesion.morph.vol"].Value));
        Assert.True(values["habitat.rim_thickness_mm.mean"].Value > 1.5); // enhancing wall 4–7 mm around the core
        Assert.Equal(row.Items.Count, values.Count); // names are unique
        Assert.Contains("ventricle", values["habitat.lesion_ventricle_distance_mm"].Missing);
    }

    [Fact]
    public void An_empty_compartment_gives_missing_values_with_the_reason_and_the_rest_is_computed()
    {
        using var tmp = new TempDir();
        WriteStudy(Path.Combine(tmp.Path, "full"));
        WriteStudy(Path.Combine(tmp.Path, "nocore"), withCore: false);
        var extractor = new StudyExtractor(Settings);
        var full = extractor.Extract(StudyFiles.FromFolder(Path.Combine(tmp.Path, "full"), new()).Load(new()));
        var noCore = extractor.Extract(StudyFiles.FromFolder(Path.Combine(tmp.Path, "nocore"), new()).Load(new()));
        Assert.Equal(full.Items.Select(i => i.Name), noCore.Items.Select(i => i.Name)); // tables line up
        var values = noCore.Items.ToDictionary(i => i.Name, i => i);
        Assert.Equal("compartment necrotic_core is empty", values["T1c.necrotic_core.stat.mean"].Missing);
        Assert.True(double.IsNaN(values["shape.necrotic_core.curvedness.mean"].Value));
        Assert.Contains("solid", values["habitat.rim_thickness_mm.mean"].Missing);
        Assert.True(double.IsFinite(values["T1c.enhancing.stat.mean"].Value));
        Assert.Equal(0, values["habitat.ratio.core_to_lesion"].Value);
    }

    [Fact]
    public void A_missing_sequence_is_named()
    {
        using var tmp = new TempDir();
        var dir = Path.Combine(tmp.Path, "case");
        WriteStudy(dir);
        File.Delete(Path.Combine(dir, "FLAIR.nii.gz"));
        var e = Assert.Throws<ImageFormatException>(() => StudyFiles.FromFolder(dir, new HabitatSettings()));
        Assert.Contains("lacks the required sequence FLAIR", e.Message);
        Assert.Contains("found: T1c", e.Message);
    }

    [Fact]
    public void A_sequence_on_another_grid_is_refused_naming_it_unless_resampling_is_asked_for()
    {
        using var tmp = new TempDir();
        var dir = Path.Combine(tmp.Path, "case");
        WriteStudy(dir, flairGrid: Grid.Create(20, 20, 15, new Vec3(2, 2, 2.4)));
        var files = StudyFiles.FromFolder(dir, new HabitatSettings());
        var e = Assert.Throws<GeometryMismatchException>(() => files.Load(new HabitatSettings()));
        Assert.Contains("FLAIR", e.Message);
        Assert.Contains("size 40×40×30 vs 20×20×15", e.Message);
        var study = files.Load(new HabitatSettings { ResampleToT1c = true });
        Assert.True(study.Sequences["FLAIR"].Grid.Matches(study.Habitat.Grid));
    }

    [Theory]
    [InlineData("cm.joint.entr", "3D, averaged", "cm.joint_entr.3D_averaged")]
    [InlineData("stat.mean", "", "stat.mean")]
    [InlineData("szm.sze", "2.5D, direction-merged", "szm.sze.2_5D_direction_merged")]
    public void Feature_names_follow_one_rule(string tag, string aggregation, string expected) =>
        Assert.Equal(expected, StudyExtractor.NameOf(new Feature(tag, "XXXX", aggregation, 1)));
}
