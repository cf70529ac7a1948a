namespace Habitat.Imaging;

/// <summary>
/// The sampling grid of a 3-D volume: size, voxel spacing (mm), origin (mm) and direction cosines,
/// all in LPS physical space as DICOM and ITK use it.
/// </summary>
/// <remarks>
/// Index convention (the only place it is defined): voxel (i, j, k) is stored at
/// <c>i + Nx·(j + Ny·k)</c>, x fastest. Its physical position is
/// <c>Origin + Direction · diag(Spacing) · (i, j, k)</c>, where <see cref="Direction"/> is a row-major
/// 3×3 matrix whose <em>columns</em> are the unit vectors of the i, j and k axes in LPS.
/// NIfTI's RAS is converted to LPS at the file boundary only.
/// </remarks>
public sealed record Grid
{
    /// <summary>Refuse volumes larger than this before allocating (2^31 voxels).</summary>
    public const long MaxVoxels = 1L << 31;

    public int Nx { get; }
    public int Ny { get; }
    public int Nz { get; }
    public Vec3 Spacing { get; }
    public Vec3 Origin { get; }
    /// <summary>Row-major 3×3; column c is the physical direction of index axis c.</summary>
    public Matrix3 Direction { get; }

    public Grid(int nx, int ny, int nz, Vec3 spacing, Vec3 origin, Matrix3 direction)
    {
        if (nx <= 0 || ny <= 0 || nz <= 0)
            throw new ArgumentOutOfRangeException(nameof(nx), $"grid size must be positive, got {nx}×{ny}×{nz}");
        if ((long)nx * ny * nz > MaxVoxels)
            throw new ArgumentOutOfRangeException(nameof(nx), $"grid of {nx}×{ny}×{nz} voxels exceeds the limit of {MaxVoxels} voxels");
        if (!(spacing.X > 0 && spacing.Y > 0 && spacing.Z > 0) || !spacing.IsFinite)
            throw new ArgumentOutOfRangeException(nameof(spacing), $"voxel spacing must be positive and finite, got {spacing}");
        if (!origin.IsFinite)
            throw new ArgumentOutOfRangeException(nameof(origin), $"origin must be finite, got {origin}");
        if (!direction.IsFinite || Math.Abs(Math.Abs(direction.Determinant) - 1) > 1e-3)
            throw new ArgumentOutOfRangeException(nameof(direction), $"direction cosines must form an orthonormal matrix, got {direction}");
        Nx = nx; Ny = ny; Nz = nz;
        Spacing = spacing; Origin = origin; Direction = direction;
    }

    /// <summary>An axis-aligned grid (identity direction) at the given origin.</summary>
    public static Grid Create(int nx, int ny, int nz, Vec3 spacing, Vec3? origin = null) =>
        new(nx, ny, nz, spacing, origin ?? Vec3.Zero, Matrix3.Identity);

    public long VoxelCount => (long)Nx * Ny * Nz;
    public int Count => checked(Nx * Ny * Nz);
    public double VoxelVolume => Spacing.X * Spacing.Y * Spacing.Z;

    public int Index(int i, int j, int k) => i + Nx * (j + Ny * k);

    public bool Contains(int i, int j, int k) =>
        (uint)i < (uint)Nx && (uint)j < (uint)Ny && (uint)k < (uint)Nz;

    /// <summary>Continuous index → LPS position in mm.</summary>
    public Vec3 IndexToPhysical(double i, double j, double k) =>
        Origin + Direction * new Vec3(i * Spacing.X, j * Spacing.Y, k * Spacing.Z);

    /// <summary>LPS position in mm → continuous index.</summary>
    public Vec3 PhysicalToIndex(Vec3 p)
    {
        // Direction is orthonormal, so its inverse is its transpose.
        var local = Direction.Transpose() * (p - Origin);
        return new Vec3(local.X / Spacing.X, local.Y / Spacing.Y, local.Z / Spacing.Z);
    }

    /// <summary>Same size, and spacing, origin and direction equal within <paramref name="tolerance"/>
    /// (mm for spacing and origin, absolute for direction cosines).</summary>
    public bool Matches(Grid other, double tolerance = 1e-4) => Describe(other, tolerance) is null;

    /// <summary>Null when the grids match; otherwise what differs, in words.</summary>
    public string? Describe(Grid other, double tolerance = 1e-4)
    {
        if (Nx != other.Nx || Ny != other.Ny || Nz != other.Nz)
            return $"size {Nx}×{Ny}×{Nz} vs {other.Nx}×{other.Ny}×{other.Nz}";
        if (!Spacing.ApproximatelyEquals(other.Spacing, tolerance))
            return $"spacing {Spacing} vs {other.Spacing}";
        if (!Origin.ApproximatelyEquals(other.Origin, tolerance))
            return $"origin {Origin} vs {other.Origin}";
        if (!Direction.ApproximatelyEquals(other.Direction, tolerance))
            return $"direction {Direction} vs {other.Direction}";
        return null;
    }

    /// <summary>Throws <see cref="GeometryMismatchException"/> naming both sources when the grids differ.</summary>
    public void EnsureMatches(Grid other, string thisName, string otherName, double tolerance = 1e-4)
    {
        var why = Describe(other, tolerance);
        if (why is not null) throw new GeometryMismatchException(thisName, otherName, why);
    }

    public Grid WithSize(int nx, int ny, int nz) => new(nx, ny, nz, Spacing, Origin, Direction);
    public Grid WithSpacing(Vec3 spacing) => new(Nx, Ny, Nz, spacing, Origin, Direction);
    public Grid WithOrigin(Vec3 origin) => new(Nx, Ny, Nz, Spacing, origin, Direction);

    public override string ToString() => $"{Nx}×{Ny}×{Nz} @ {Spacing} mm, origin {Origin}, direction {Direction}";
}
