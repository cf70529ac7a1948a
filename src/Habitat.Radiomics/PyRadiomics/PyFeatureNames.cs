namespace Habitat.Radiomics.PyRadiomics;

/// <summary>PyRadiomics' feature classes and the features each computes by default (deprecated ones are not offered).</summary>
public static class PyFeatureNames
{
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> Classes = new Dictionary<string, IReadOnlyList<string>>
    {
        ["shape"] =
        [
            "MeshVolume", "VoxelVolume", "SurfaceArea", "SurfaceVolumeRatio", "Sphericity", "Maximum3DDiameter",
            "Maximum2DDiameterSlice", "Maximum2DDiameterColumn", "Maximum2DDiameterRow", "MajorAxisLength",
            "MinorAxisLength", "LeastAxisLength", "Elongation", "Flatness",
        ],
        ["shape2D"] =
        [
            "MeshSurface", "PixelSurface", "Perimeter", "PerimeterSurfaceRatio", "Sphericity", "MaximumDiameter",
            "MajorAxisLength", "MinorAxisLength", "Elongation",
        ],
        ["firstorder"] =
        [
            "Energy", "TotalEnergy", "Entropy", "Minimum", "10Percentile", "90Percentile", "Maximum", "Mean", "Median",
            "InterquartileRange", "Range", "MeanAbsoluteDeviation", "RobustMeanAbsoluteDeviation", "RootMeanSquared",
            "Skewness", "Kurtosis", "Variance", "Uniformity",
        ],
        ["glcm"] =
        [
            "Autocorrelation", "JointAverage", "ClusterProminence", "ClusterShade", "ClusterTendency", "Contrast",
            "Correlation", "DifferenceAverage", "DifferenceEntropy", "DifferenceVariance", "JointEnergy", "JointEntropy",
            "Imc1", "Imc2", "Idm", "MCC", "Idmn", "Id", "Idn", "InverseVariance", "MaximumProbability", "SumAverage",
            "SumEntropy", "SumSquares",
        ],
        ["glrlm"] =
        [
            "ShortRunEmphasis", "LongRunEmphasis", "GrayLevelNonUniformity", "GrayLevelNonUniformityNormalized",
            "RunLengthNonUniformity", "RunLengthNonUniformityNormalized", "RunPercentage", "GrayLevelVariance",
            "RunVariance", "RunEntropy", "LowGrayLevelRunEmphasis", "HighGrayLevelRunEmphasis",
            "ShortRunLowGrayLevelEmphasis", "ShortRunHighGrayLevelEmphasis", "LongRunLowGrayLevelEmphasis",
            "LongRunHighGrayLevelEmphasis",
        ],
        ["glszm"] =
        [
            "SmallAreaEmphasis", "LargeAreaEmphasis", "GrayLevelNonUniformity", "GrayLevelNonUniformityNormalized",
            "SizeZoneNonUniformity", "SizeZoneNonUniformityNormalized", "ZonePercentage", "GrayLevelVariance",
            "ZoneVariance", "ZoneEntropy", "LowGrayLevelZoneEmphasis", "HighGrayLevelZoneEmphasis",
            "SmallAreaLowGrayLevelEmphasis", "SmallAreaHighGrayLevelEmphasis", "LargeAreaLowGrayLevelEmphasis",
            "LargeAreaHighGrayLevelEmphasis",
        ],
        ["gldm"] =
        [
            "SmallDependenceEmphasis", "LargeDependenceEmphasis", "GrayLevelNonUniformity", "DependenceNonUniformity",
            "DependenceNonUniformityNormalized", "GrayLevelVariance", "DependenceVariance", "DependenceEntropy",
            "LowGrayLevelEmphasis", "HighGrayLevelEmphasis", "SmallDependenceLowGrayLevelEmphasis",
            "SmallDependenceHighGrayLevelEmphasis", "LargeDependenceLowGrayLevelEmphasis",
            "LargeDependenceHighGrayLevelEmphasis",
        ],
        ["ngtdm"] = ["Coarseness", "Contrast", "Busyness", "Complexity", "Strength"],
    };
}
