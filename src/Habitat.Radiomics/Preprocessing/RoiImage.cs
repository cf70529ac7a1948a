using Habitat.Imaging;

namespace Habitat.Radiomics.Preprocessing;

/// <summary>
/// An image with its region of interest after the IBSI processing chain (interpolation, rounding,
/// re-segmentation): the input of every feature family. All arrays follow <see cref="Grid"/>'s index order.
/// </summary>
/// <param name="Grid">Grid of the (possibly interpolated) image.</param>
/// <param name="Intensities">Every voxel of the processed image (local intensity peaks need voxels outside the ROI).</param>
/// <param name="MorphologicalMask">1 inside the ROI as segmented (interpolated and binarised, never re-segmented).</param>
/// <param name="IntensityMask">The morphological mask after re-segmentation: the voxels intensity-based families use.</param>
public sealed record RoiImage(Grid Grid, float[] Intensities, byte[] MorphologicalMask, byte[] IntensityMask);

/// <summary>
/// Discretised grey levels of a ROI, the input of the intensity-histogram and texture families.
/// </summary>
/// <param name="Grid">Grid the arrays follow.</param>
/// <param name="Levels">Grey level 1…<paramref name="LevelCount"/> inside the intensity mask, 0 outside it.</param>
/// <param name="LevelCount">Number of grey levels N_g (the highest level that may occur).</param>
/// <param name="MorphologicalMask">The morphological mask (GLDZM measures distances on it).</param>
public sealed record DiscretisedRoi(Grid Grid, int[] Levels, int LevelCount, byte[] MorphologicalMask);
