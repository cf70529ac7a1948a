using Habitat.Imaging;
using Habitat.Imaging.Processing;
using Habitat.Radiomics.Habitat;

namespace Habitat.Radiomics.Tests.Habitat;

public class CompartmentTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public void Distance_transform_is_exact_for_anisotropic_spacing()
    {
        var grid = Grid.Create(9, 7, 5, new Vec3(0.7, 1.3, 2.5));
        var feature = new byte[grid.Count];
        feature[grid.Index(2, 3, 1)] = 1;
        feature[grid.Index(7, 1, 4)] = 1;
        var d = DistanceTransform.Euclidean(grid, feature);
        for (int k = 0; k < 5; k++) for (int j = 0; j < 7; j++) for (int i = 0; i < 9; i++)
        {
            double Dist(int a, int b, int c) => Math.Sqrt(Math.Pow((i - a) * 0.7, 2) + Math.Pow((j - b) * 1.3, 2) + Math.Pow((k - c) * 2.5, 2));
            Assert.Equal(Math.Min(Dist(2, 3, 1), Dist(7, 1, 4)), d[grid.Index(i, j, k)], 4);
        }
        Assert.All(DistanceTransform.Euclidean(grid, new byte[grid.Count]), v => Assert.True(float.IsPositiveInfinity(v)));
    }

    [Theory]
    [InlineData(1.0, 15.0)]
    [InlineData(0.8, 10.0)]
    public void Sphere_lesion_shells_match_analytic_spherical_shells(double voxel, double radius)
    {
        int n = (int)Math.Ceiling((2 * radius + 30) / voxel);
        var grid = Grid.Create(n, n, (int)Math.Ceiling((2 * radius + 30) / (1.5 * voxel)), new Vec3(voxel, voxel, 1.5 * voxel)); // anisotropic
        var centre = grid.IndexToPhysical((grid.Nx - 1) / 2.0, (grid.Ny - 1) / 2.0, (grid.Nz - 1) / 2.0) + new Vec3(0.21, 0.13, 0.37);
        var labels = new int[grid.Count];
        var brain = new byte[grid.Count];
        for (int k = 0; k < grid.Nz; k++) for (int j = 0; j < grid.Ny; j++) for (int i = 0; i < grid.Nx; i++)
        {
            double r = (grid.IndexToPhysical(i, j, k) - centre).Length;
            int m = grid.Index(i, j, k);
            if (r <= radius) labels[m] = r <= radius / 2 ? 1 : 3;
            brain[m] = 1;
        }
        var compartments = Compartments.Build(new LabelVolume(grid, labels), brain, LabelMapping.BraTS, [5, 5]);
        Assert.Equal(["enhancing", "necrotic_core", "whole_lesion", "oedema", "shell_0_5mm", "shell_5_10mm"], compartments.Select(c => c.Name));
        var lesion = compartments[2].Mask;
        foreach (var (shell, inner, outer) in new[] { (compartments[4], 0.0, 5.0), (compartments[5], 5.0, 10.0) })
        {
            double analytic = 4.0 / 3 * Math.PI * (Math.Pow(radius + outer, 3) - Math.Pow(radius + inner, 3));
            double measured = shell.VoxelCount * grid.VoxelVolume;
            output.WriteLine($"voxel {voxel} mm, r = {radius} mm, {shell.Name}: {measured:F0} mm³ vs analytic {analytic:F0} mm³ ({measured / analytic - 1:P2})");
            Assert.True(Math.Abs(measured / analytic - 1) < 0.03, $"{shell.Name}: {measured:F0} mm³ vs analytic {analytic:F0} mm³");
            for (int m = 0; m < lesion.Length; m++) Assert.False(shell.Mask[m] != 0 && lesion[m] != 0, "shell overlaps the lesion");
        }
        for (int m = 0; m < lesion.Length; m++) Assert.False(compartments[4].Mask[m] != 0 && compartments[5].Mask[m] != 0, "shells overlap");
    }

    [Fact]
    public void Shells_never_leave_the_brain_mask()
    {
        var grid = Grid.Create(40, 40, 20, Vec3.One);
        var labels = new int[grid.Count];
        var brain = new byte[grid.Count];
        for (int k = 0; k < 20; k++) for (int j = 0; j < 40; j++) for (int i = 0; i < 40; i++)
        {
            if (Math.Abs(i - 10) <= 3 && Math.Abs(j - 20) <= 3 && Math.Abs(k - 10) <= 3) labels[grid.Index(i, j, k)] = 4;
            if (i >= 8) brain[grid.Index(i, j, k)] = 1; // the lesion sits near the brain's edge
        }
        var compartments = Compartments.Build(new LabelVolume(grid, labels), brain, LabelMapping.BraTS, [5, 5]);
        foreach (var shell in compartments.Skip(4))
        {
            Assert.True(shell.VoxelCount > 0);
            for (int m = 0; m < brain.Length; m++) Assert.False(shell.Mask[m] != 0 && brain[m] == 0, $"{shell.Name} leaves the brain");
        }
    }
}
