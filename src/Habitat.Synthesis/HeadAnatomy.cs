using Habitat.Imaging;

namespace Habitat.Synthesis;

/// <summary>
/// The normal head of one patient: scalp, skull (tables and fatty marrow), CSF, cortex with folding, white matter,
/// deep grey nuclei and lateral and third ventricles, in a head frame posed in the scanner by a small rotation and
/// shift. Boundaries are level sets of depth fields (mm); a voxel's tissue fractions are box averages across them,
/// so partial volume at every boundary is what averaging a much finer grid would give.
/// </summary>
internal sealed class HeadAnatomy
{
    /// <summary>Semi-axes of the intracranial cavity (inner table of the skull), mm: left–right, anterior–posterior, inferior–superior.</summary>
    public Vec3 BrainAxes { get; }
    public double ScalpMm { get; }
    public double SkullMm { get; }
    public double VentricleWidening { get; }
    /// <summary>Head frame → scanner: position = Pose · q + Centre.</summary>
    public Matrix3 Pose { get; }
    /// <summary>Where the head centre sits in the scanner (mm); set once the lesion is placed so the slab covers it.</summary>
    public Vec3 Centre { get; set; }
    public double PoseDegrees { get; }

    private readonly Matrix3 _inversePose;
    private readonly RandomField _shape, _thickness, _csfGap, _folding, _sulci, _texture;

    /// <summary>Relative amplitude of the spatially correlated grey/white matter texture.</summary>
    public const float TextureAmplitude = 0.03f;

    /// <param name="anatomyRng">The patient's anatomy (shared by all studies of a patient).</param>
    /// <param name="poseRng">This study's head position.</param>
    public HeadAnatomy(SynthRandom anatomyRng, SynthRandom poseRng)
    {
        var rng = anatomyRng;
        double scale = rng.Uniform(0.93, 1.05);
        BrainAxes = new Vec3(58 * scale * rng.Uniform(0.97, 1.03), 72 * scale * rng.Uniform(0.97, 1.03), 54 * scale * rng.Uniform(0.97, 1.03));
        ScalpMm = rng.Uniform(4, 6.5);
        SkullMm = rng.Uniform(5, 7.5);
        VentricleWidening = rng.Uniform(0, 4);
        double maxAngle = 4 * Math.PI / 180;
        double ax = poseRng.Uniform(-maxAngle, maxAngle), ay = poseRng.Uniform(-maxAngle, maxAngle), az = poseRng.Uniform(-maxAngle, maxAngle);
        Pose = Geometry.EulerRotation(ax, ay, az);
        PoseDegrees = Math.Sqrt(ax * ax + ay * ay + az * az) * 180 / Math.PI;
        _inversePose = Pose.Transpose();
        Centre = new Vec3(poseRng.Uniform(-4, 4), poseRng.Uniform(-4, 4), 0);

        // Fields live in the head frame (the anatomy turns with the head); the margin covers pose and slab placement.
        var min = new Vec3(-BrainAxes.X - 15, -BrainAxes.Y - 15, -BrainAxes.Z - 15);
        var max = -min;
        _shape = RandomField.Create(min, max, 15, rng.Fork(1));
        _thickness = RandomField.Create(min, max, 10, rng.Fork(2));
        _csfGap = RandomField.Create(min, max, 6, rng.Fork(3));
        _folding = RandomField.Create(min, max, 3, rng.Fork(4));
        _sulci = RandomField.Create(min, max, 2.5, rng.Fork(5));
        _texture = RandomField.Create(min, max, 2.5, rng.Fork(6));
    }

    public Vec3 ToHead(Vec3 scanner) => _inversePose * (scanner - Centre);
    public Vec3 ToScanner(Vec3 head) => Pose * head + Centre;

    /// <summary>Depth (mm, positive inside) below the inner table of the skull, at a head-frame point.</summary>
    public double IntracranialDepth(Vec3 q) =>
        Geometry.EllipsoidDepth(q.X, q.Y, q.Z, BrainAxes) + 2.0 * _shape.Sample(q.X, q.Y, q.Z);

    /// <summary>Intracranial depth at which white matter starts (CSF gap plus cortex), at a head-frame point.</summary>
    public double WhiteMatterStart(Vec3 q) => CsfGap(q) + CortexThickness(q);

    private double CsfGap(Vec3 q) => Math.Max(0.3, 1.6 + 1.0 * _csfGap.Sample(q.X, q.Y, q.Z));

    private double CortexThickness(Vec3 q) => Math.Max(1.2, 3.0 + 1.8 * _folding.Sample(q.X, q.Y, q.Z));

    /// <summary>
    /// Fills <paramref name="mix"/> (indexed by <see cref="Tissue"/>) with the normal tissue fractions of the voxel at
    /// scanner position <paramref name="p"/>; returns the intracranial depth (≥ 0 inside the brain mask) and the
    /// grey/white texture modulation.
    /// </summary>
    public double Fill(Vec3 p, double voxelMm, Span<float> mix, out float texture)
    {
        mix.Clear();
        texture = 0;
        var q = ToHead(p);
        double depth = IntracranialDepth(q);
        double thicken = _thickness.Sample(q.X, q.Y, q.Z);
        double skull = SkullMm * (1 + 0.15 * thicken), scalp = ScalpMm * (1 + 0.2 * thicken);
        if (depth < -(skull + scalp) - voxelMm)
        {
            mix[(int)Tissue.Air] = 1;
            return depth;
        }
        double gap = CsfGap(q);
        double cortex = CortexThickness(q);
        float deeperThanAir = Geometry.Inside(depth + skull + scalp, voxelMm);
        float deeperThanScalp = Geometry.Inside(depth + skull, voxelMm);
        float deeperThanOuterTable = Geometry.Inside(depth + 0.75 * skull, voxelMm);
        float deeperThanMarrow = Geometry.Inside(depth + 0.3 * skull, voxelMm);
        float intracranial = Geometry.Inside(depth, voxelMm);
        float deeperThanCsf = Geometry.Inside(depth - gap, voxelMm);
        float white = Math.Min(deeperThanCsf, Geometry.Inside(depth - gap - cortex, voxelMm, Geometry.PerturbedGradient(1.8, 3)));

        mix[(int)Tissue.Air] = 1 - deeperThanAir;
        mix[(int)Tissue.Scalp] = deeperThanAir - deeperThanScalp;
        mix[(int)Tissue.Bone] = deeperThanScalp - deeperThanOuterTable + deeperThanMarrow - intracranial;
        mix[(int)Tissue.Marrow] = deeperThanOuterTable - deeperThanMarrow;
        mix[(int)Tissue.Csf] = intracranial - deeperThanCsf;
        float grey = deeperThanCsf - white;
        // Sulci: thin CSF clefts through the cortex where a fine random field peaks.
        float sulcus = Geometry.Inside((_sulci.Sample(q.X, q.Y, q.Z) - 1.3) * Math.Sqrt(2) * 2.5, voxelMm);
        mix[(int)Tissue.Csf] += grey * sulcus;
        mix[(int)Tissue.Grey] = grey * (1 - sulcus);
        mix[(int)Tissue.White] = white;
        if (depth > 12)
            PaintDeepStructures(q, voxelMm, mix);
        if (depth > -1)
            texture = TextureAmplitude * _texture.Sample(q.X, q.Y, q.Z);
        return depth;
    }

    /// <summary>Deep grey nuclei, then the lateral ventricles (curved bodies) and the third ventricle.</summary>
    private void PaintDeepStructures(Vec3 q, double voxelMm, Span<float> mix)
    {
        double w = VentricleWidening;
        for (int side = -1; side <= 1; side += 2)
        {
            double nuclei = Geometry.EllipsoidDepth(q.X - side * 15, q.Y, q.Z + 2, new Vec3(8, 16, 9));
            Paint(mix, Tissue.DeepGrey, Geometry.Inside(nuclei, voxelMm));
            double dy = q.Y + 6;
            double vx = q.X - side * (5 + w + 0.004 * dy * dy), vz = q.Z - (12 - 0.006 * dy * dy);
            double ventricle = Geometry.EllipsoidDepth(vx, dy, vz, new Vec3(3.5 + w, 28, 6 + 0.5 * w));
            Paint(mix, Tissue.Csf, Geometry.Inside(ventricle, voxelMm));
        }
        double third = Geometry.EllipsoidDepth(q.X, q.Y, q.Z + 4, new Vec3(1.5 + 0.3 * w, 12, 7));
        Paint(mix, Tissue.Csf, Geometry.Inside(third, voxelMm));
    }

    /// <summary>Replaces a fraction <paramref name="fraction"/> of the voxel's current content by <paramref name="tissue"/>.</summary>
    public static void Paint(Span<float> mix, Tissue tissue, float fraction)
    {
        if (fraction <= 0) return;
        float keep = 1 - fraction;
        for (int t = 0; t < mix.Length; t++) mix[t] *= keep;
        mix[(int)tissue] += fraction;
    }
}
