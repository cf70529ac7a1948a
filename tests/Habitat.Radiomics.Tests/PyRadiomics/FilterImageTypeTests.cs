using Habitat.Imaging.IO;
using Habitat.Radiomics.PyRadiomics;
using Habitat.Testing;

namespace Habitat.Radiomics.Tests.PyRadiomics;

public class FilterImageTypeTests
{
    static PyRadiomicsResult Extract(string yaml)
    {
        var parameters = PyRadiomicsParameters.Parse(yaml, "test.yaml");
        var image = ImageFile.Read(ReferenceData.Path("pyradiomics", "brain1_image.nrrd"));
        var mask = ImageFile.Read(ReferenceData.Path("pyradiomics", "brain1_label.nrrd"));
        return PyRadiomicsExtractor.Extract(image, mask, parameters);
    }

    [Fact]
    public void FilteredImageTypesYieldPyRadiomicsNamedFeatures()
    {
        var result = Extract("""
            setting:
              sigma: [1.0, 3.0]
              wavelet: haar
            imageType:
              LoG: {}
              Wavelet: {}
              Gradient: {}
              LBP2D: {}
            featureClass:
              firstorder: [Mean, Variance]
            """);
        var names = result.Features.Select(f => f.Key).ToHashSet();
        foreach (var prefix in new[] { "log-sigma-1-0-mm-3D", "log-sigma-3-0-mm-3D", "wavelet-LLH", "wavelet-LHL", "wavelet-LHH",
                     "wavelet-HLL", "wavelet-HLH", "wavelet-HHL", "wavelet-HHH", "wavelet-LLL", "gradient", "lbp-2D" })
        {
            Assert.Contains($"{prefix}_firstorder_Mean", names);
            Assert.True(double.IsFinite(result.Features.First(f => f.Key == $"{prefix}_firstorder_Variance").Value), prefix);
        }
        // Uniform LBP with 8 samples takes the values 0..9 only.
        Assert.InRange(result.Features.First(f => f.Key == "lbp-2D_firstorder_Mean").Value, 0, 9);
        // The gradient magnitude is non-negative and varies inside a tumour.
        Assert.True(result.Features.First(f => f.Key == "gradient_firstorder_Mean").Value > 0);
    }

    [Fact]
    public void Lbp3DYieldsOneImagePerDegreeAndTheKurtosis()
    {
        var result = Extract("""
            setting:
              binWidth: 0.5
            imageType:
              LBP3D: {lbp3DLevels: 3}
            featureClass:
              firstorder: [Mean, Maximum]
            """);
        var names = result.Features.Select(f => f.Key).ToList();
        Assert.Equal(["lbp-3D-m1_firstorder_Mean", "lbp-3D-m1_firstorder_Maximum", "lbp-3D-m2_firstorder_Mean", "lbp-3D-m2_firstorder_Maximum",
            "lbp-3D-m3_firstorder_Mean", "lbp-3D-m3_firstorder_Maximum", "lbp-3D-k_firstorder_Mean", "lbp-3D-k_firstorder_Maximum"], names);
        // Degree 0 is √42 · (number of neighbours ≥ the centre) / 4π: at most √42 · 42 / 4π.
        double m1Max = result.Features.First(f => f.Key == "lbp-3D-m1_firstorder_Maximum").Value;
        Assert.InRange(m1Max, 0, Math.Sqrt(42) * 42 / (4 * Math.PI) + 1e-5);
        Assert.True(result.Features.All(f => double.IsFinite(f.Value)));
    }

    [Theory]
    [InlineData("lbp3DLevels: 0", "lbp3DLevels")]
    [InlineData("lbp3DIcosphereRadius: -1", "lbp3DIcosphereRadius")]
    [InlineData("lbp3DIcosphereSubdivision: 1.5", "lbp3DIcosphereSubdivision")]
    public void InvalidLbp3DSettingsAreNamed(string setting, string key)
    {
        var error = Assert.Throws<global::Habitat.Imaging.ImageFormatException>(() => PyRadiomicsParameters.Parse($"""
            setting:
              {setting}
            imageType:
              LBP3D: {"{}"}
            """, "test.yaml"));
        Assert.Contains(key, error.Message);
    }

    [Fact]
    public void ADerivedImageWithNonFiniteValuesInTheRoiIsAnErrorNamingTheImageType()
    {
        // A flat image: every LBP3D neighbourhood is constant, so the kurtosis image is NaN everywhere.
        var grid = new global::Habitat.Imaging.Grid(12, 12, 12, new global::Habitat.Imaging.Vec3(1, 1, 1), new global::Habitat.Imaging.Vec3(0, 0, 0), global::Habitat.Imaging.Matrix3.Identity);
        var image = new global::Habitat.Imaging.Volume(grid, Enumerable.Repeat(100f, grid.Count).ToArray());
        var maskVoxels = new float[grid.Count];
        for (int k = 4; k < 8; k++) for (int j = 4; j < 8; j++) for (int i = 4; i < 8; i++) maskVoxels[grid.Index(i, j, k)] = 1;
        var mask = new global::Habitat.Imaging.Volume(grid, maskVoxels);
        var parameters = PyRadiomicsParameters.Parse("""
            imageType:
              LBP3D: {}
            featureClass:
              firstorder: [Mean]
            """, "test.yaml");
        var error = Assert.Throws<InvalidDataException>(() => PyRadiomicsExtractor.Extract(image, mask, parameters));
        Assert.Contains("lbp-3D-k", error.Message);
        Assert.Contains("64 of 64 voxels", error.Message);
    }
}
