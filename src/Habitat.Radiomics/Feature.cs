namespace Habitat.Radiomics;

/// <summary>
/// One computed feature value. <see cref="Tag"/> is the IBSI short name (e.g. <c>morph.vol</c>, <c>cm.joint.max</c>),
/// <see cref="IbsiCode"/> its 4-character permanent identifier, <see cref="Aggregation"/> the IBSI aggregation label
/// exactly as the reference tables write it (<c>3D, averaged</c>, …) or empty for whole-ROI families.
/// </summary>
public readonly record struct Feature(string Tag, string IbsiCode, string Aggregation, double Value);
