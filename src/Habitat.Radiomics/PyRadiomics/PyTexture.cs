using Habitat.Imaging;
using Habitat.Radiomics.Features;
using Habitat.Radiomics.Features.Texture;
using Habitat.Radiomics.Preprocessing;

namespace Habitat.Radiomics.PyRadiomics;

/// <summary>
/// PyRadiomics' texture classes on the IBSI texture matrices. PyRadiomics' default (features per direction, averaged)
/// is IBSI's "3D, averaged" for GLCM/GLRLM and "3D" for GLSZM/NGTDM/GLDM; <c>weightingNorm: no_weighting</c> merges
/// the directional matrices ("3D, merged"); <c>force2D</c> keeps in-plane directions and neighbourhoods with matrices
/// summed over slices ("2.5D, direction-merged"/"2.5D, merged" and "2.5D"), the plane being the one
/// <c>force2Ddimension</c> leaves (the region is permuted so that it lies in the slices). GLDM is IBSI's NGLDM with coarseness
/// <c>gldm_a</c>. GLCM has its own feature formulas (<see cref="PyGlcm"/>); the other classes share IBSI's.
/// </summary>
internal static class PyTexture
{
    private static readonly Dictionary<string, string> IbsiToPyRadiomics = new()
    {
        ["rlm.sre"] = "glrlm_ShortRunEmphasis", ["rlm.lre"] = "glrlm_LongRunEmphasis",
        ["rlm.lgre"] = "glrlm_LowGrayLevelRunEmphasis", ["rlm.hgre"] = "glrlm_HighGrayLevelRunEmphasis",
        ["rlm.srlge"] = "glrlm_ShortRunLowGrayLevelEmphasis", ["rlm.srhge"] = "glrlm_ShortRunHighGrayLevelEmphasis",
        ["rlm.lrlge"] = "glrlm_LongRunLowGrayLevelEmphasis", ["rlm.lrhge"] = "glrlm_LongRunHighGrayLevelEmphasis",
        ["rlm.glnu"] = "glrlm_GrayLevelNonUniformity", ["rlm.glnu.norm"] = "glrlm_GrayLevelNonUniformityNormalized",
        ["rlm.rlnu"] = "glrlm_RunLengthNonUniformity", ["rlm.rlnu.norm"] = "glrlm_RunLengthNonUniformityNormalized",
        ["rlm.r.perc"] = "glrlm_RunPercentage", ["rlm.gl.var"] = "glrlm_GrayLevelVariance",
        ["rlm.rl.var"] = "glrlm_RunVariance", ["rlm.rl.entr"] = "glrlm_RunEntropy",

        ["szm.sze"] = "glszm_SmallAreaEmphasis", ["szm.lze"] = "glszm_LargeAreaEmphasis",
        ["szm.lgze"] = "glszm_LowGrayLevelZoneEmphasis", ["szm.hgze"] = "glszm_HighGrayLevelZoneEmphasis",
        ["szm.szlge"] = "glszm_SmallAreaLowGrayLevelEmphasis", ["szm.szhge"] = "glszm_SmallAreaHighGrayLevelEmphasis",
        ["szm.lzlge"] = "glszm_LargeAreaLowGrayLevelEmphasis", ["szm.lzhge"] = "glszm_LargeAreaHighGrayLevelEmphasis",
        ["szm.glnu"] = "glszm_GrayLevelNonUniformity", ["szm.glnu.norm"] = "glszm_GrayLevelNonUniformityNormalized",
        ["szm.zsnu"] = "glszm_SizeZoneNonUniformity", ["szm.zsnu.norm"] = "glszm_SizeZoneNonUniformityNormalized",
        ["szm.z.perc"] = "glszm_ZonePercentage", ["szm.gl.var"] = "glszm_GrayLevelVariance",
        ["szm.zs.var"] = "glszm_ZoneVariance", ["szm.zs.entr"] = "glszm_ZoneEntropy",

        ["ngl.lde"] = "gldm_SmallDependenceEmphasis", ["ngl.hde"] = "gldm_LargeDependenceEmphasis",
        ["ngl.lgce"] = "gldm_LowGrayLevelEmphasis", ["ngl.hgce"] = "gldm_HighGrayLevelEmphasis",
        ["ngl.ldlge"] = "gldm_SmallDependenceLowGrayLevelEmphasis", ["ngl.ldhge"] = "gldm_SmallDependenceHighGrayLevelEmphasis",
        ["ngl.hdlge"] = "gldm_LargeDependenceLowGrayLevelEmphasis", ["ngl.hdhge"] = "gldm_LargeDependenceHighGrayLevelEmphasis",
        ["ngl.glnu"] = "gldm_GrayLevelNonUniformity", ["ngl.dcnu"] = "gldm_DependenceNonUniformity",
        ["ngl.dcnu.norm"] = "gldm_DependenceNonUniformityNormalized", ["ngl.gl.var"] = "gldm_GrayLevelVariance",
        ["ngl.dc.var"] = "gldm_DependenceVariance", ["ngl.dc.entr"] = "gldm_DependenceEntropy",

        ["ngt.coarseness"] = "ngtdm_Coarseness", ["ngt.contrast"] = "ngtdm_Contrast", ["ngt.busyness"] = "ngtdm_Busyness",
        ["ngt.complexity"] = "ngtdm_Complexity", ["ngt.strength"] = "ngtdm_Strength",
    };

    /// <summary>
    /// The ROI with its axes permuted so that PyRadiomics' <c>force2Ddimension</c> (of the (z, y, x) array: 1 = y,
    /// 2 = x) becomes the slice axis z, the two in-plane axes keeping their (z, y, x) order as (y, x): dimension 1 gives
    /// (x, y, z) ← (x, z, y), dimension 2 gives (x, y, z) ← (y, z, x). Everything in-plane (angles, runs, zones,
    /// neighbourhoods) then runs on slices, and an in-plane angle's first non-zero (z, y, x) component stays its first,
    /// so the asymmetric GLCM keeps PyRadiomics' angle signs. The spacing moves with its axis (weighting norms).
    /// </summary>
    private static DiscretisedRoi WithPlaneAsSlices(DiscretisedRoi roi, int dimension)
    {
        var (grid, s) = (roi.Grid, roi.Grid.Spacing);
        var (nx, ny, nz, spacing) = dimension == 1
            ? (grid.Nx, grid.Nz, grid.Ny, new Vec3(s.X, s.Z, s.Y))
            : (grid.Ny, grid.Nz, grid.Nx, new Vec3(s.Y, s.Z, s.X));
        var levels = new int[roi.Levels.Length];
        var mask = new byte[roi.MorphologicalMask.Length];
        for (int z = 0, source = 0; z < grid.Nz; z++)
            for (int y = 0; y < grid.Ny; y++)
                for (int x = 0; x < grid.Nx; x++, source++)
                {
                    int target = dimension == 1 ? x + nx * (z + ny * y) : y + nx * (z + ny * x);
                    levels[target] = roi.Levels[source];
                    mask[target] = roi.MorphologicalMask[source];
                }
        return new DiscretisedRoi(Grid.Create(nx, ny, nz, spacing), levels, roi.LevelCount, mask);
    }

    /// <summary>The requested texture features as <c>class_Feature</c> → value, in the parameter file's order.</summary>
    public static IEnumerable<KeyValuePair<string, double>> Compute(DiscretisedRoi roi, PyRadiomicsSettings settings,
        IReadOnlyDictionary<string, IReadOnlyList<string>> classes)
    {
        if (settings.Force2D && settings.Force2DDimension != 0) roi = WithPlaneAsSlices(roi, settings.Force2DDimension);
        bool merged = settings.WeightingNorm == WeightingNorm.NoWeighting;
        string directional = settings.Force2D
            ? merged ? TextureAggregation.TwoPointFiveDMerged : TextureAggregation.TwoPointFiveDDirectionMerged
            : merged ? TextureAggregation.ThreeDMerged : TextureAggregation.ThreeDAveraged;
        string nonDirectional = settings.Force2D ? TextureAggregation.TwoPointFiveD : TextureAggregation.ThreeD;
        var options = new TextureOptions
        {
            Aggregations = [directional, nonDirectional],
            NgldmCoarseness = settings.GldmA,
            SymmetricGlcm = settings.SymmetricalGlcm,
        };
        // The IBSI route covers the symmetric GLCM at distance 1, averaged or merged. Other distances, the distance-weighted
        // norms and the asymmetric GLCM take PyRadiomics' angles (PyAngles): 4 of IBSI's 13 direction vectors point the
        // other way, which transposes their asymmetric matrices.
        bool ibsiGlcm = settings.SymmetricalGlcm && settings.Distances is [1]
            && (settings.WeightingNorm is WeightingNorm.None or WeightingNorm.NoWeighting);
        // Padded only as far as an offset can still meet a ROI voxel, and the angles and neighbourhoods leave out the
        // offsets that cannot: any distance costs at most what the ROI's box allows.
        var volume = TextureVolume.CreateReaching(roi, settings.Distances.Max());
        var spacing = roi.Grid.Spacing;
        Func<Direction, double>? Weighting(Func<Direction, double> weight) => settings.WeightingNorm == WeightingNorm.None ? null : weight;
        Direction[] Angles(IReadOnlyList<int> distances) =>
            PyAngles.Generate(distances, settings.Force2D, volume.BoxX - 1, volume.BoxY - 1, volume.BoxZ - 1);
        // GLCM, the costliest class, runs beside the others.
        var outputs = Concurrently.Run<List<Feature>>(
        [
            () =>
            {
                var output = new List<Feature>(64);
                if (!classes.ContainsKey("glcm")) return output;
                var glcm = new PyGlcm(new Glcm(volume, settings.SymmetricalGlcm), volume.PresentLevels + 1);
                if (ibsiGlcm) DirectionalAggregation.Compute(volume, glcm, 1, options, output);
                else PyAngles.Compute(volume, glcm, Angles(settings.Distances),
                    Weighting(a => PyAngles.GlcmWeight(a, settings.WeightingNorm, spacing)), directional, output);
                return output;
            },
            () =>
            {
                var output = new List<Feature>(64);
                foreach (var featureClass in classes.Keys)
                    switch (featureClass)
                    {
                        // Runs along PyRadiomics' angles of distance 1, without the angles along which no line holds two ROI
                        // voxels (cmatrices.c zeroes them: e.g. the out-of-plane angles of a one-slice ROI).
                        case "glrlm":
                            PyAngles.Compute(volume, new Glrlm(volume), Angles([1]).Where(a => PyAngles.HasLineWithTwoVoxels(volume, a)).ToArray(),
                                Weighting(a => PyAngles.GlrlmWeight(a, settings.WeightingNorm, spacing)), directional, output);
                            break;
                        case "glszm": Glszm.Compute(volume, new ZoneCache(volume), options, output); break;
                        // The neighbours whose Chebyshev distance is in `distances` (a shell when it leaves gaps); PyRadiomics
                        // counts NGTDM voxels without neighbours in n_i. GLRLM and GLSZM ignore `distances`.
                        case "gldm": Ngldm.Compute(volume, options, volume.NeighbourhoodOf([.. settings.Distances]), output); break;
                        case "ngtdm": Ngtdm.Compute(volume, options, volume.NeighbourhoodOf([.. settings.Distances]), countIsolated: true, output); break;
                    }
                return output;
            },
        ]);
        var values = new Dictionary<string, double>();
        foreach (var f in outputs.SelectMany(o => o))
        {
            if (f.Aggregation != directional && f.Aggregation != nonDirectional) continue;
            string name = f.IbsiCode.Length == 0 ? "glcm_" + f.Tag : IbsiToPyRadiomics.GetValueOrDefault(f.Tag, "");
            if (name.Length > 0) values[name] = f.Value;
        }
        foreach (var (featureClass, names) in classes)
            if (featureClass is "glcm" or "glrlm" or "glszm" or "gldm" or "ngtdm")
                foreach (var name in names)
                    yield return new($"{featureClass}_{name}", values[$"{featureClass}_{name}"]);
    }
}
