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
    public void Lbp3DIsRejectedClearly()
    {
        var error = Assert.Throws<NotSupportedException>(() => Extract("""
            imageType:
              LBP3D: {}
            featureClass:
              firstorder: [Mean]
            """));
        Assert.Contains("LBP3D", error.Message);
    }
}
