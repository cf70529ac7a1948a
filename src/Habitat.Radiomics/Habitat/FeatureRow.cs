namespace Habitat.Radiomics.Habitat;

/// <summary>The named features of one study in output order; a missing value keeps its name and carries the reason.</summary>
public sealed class FeatureRow
{
    private readonly List<(string Name, double Value, string? Missing)> _items = new(4096);

    public IReadOnlyList<(string Name, double Value, string? Missing)> Items => _items;

    public void Add(string name, double value) => _items.Add((name, value, null));

    public void AddMissing(string name, string reason) => _items.Add((name, double.NaN, reason));

    public void AddRatio(string name, long numerator, long denominator, string reasonWhenZero)
    {
        if (denominator == 0) AddMissing(name, reasonWhenZero);
        else Add(name, (double)numerator / denominator);
    }
}
