namespace Habitat.Radiomics.Preprocessing;

/// <summary>The region of interest holds no voxel (empty mask, absent label, or every voxel re-segmented away).</summary>
public sealed class EmptyRoiException(string message) : InvalidOperationException(message);
