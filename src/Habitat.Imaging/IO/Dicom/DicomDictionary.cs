using System.Globalization;

namespace Habitat.Imaging.IO.Dicom;

/// <summary>
/// The data elements Habitat reads (PS3.6 data dictionary), each as <c>group &lt;&lt; 16 | element</c>,
/// with the value representation an implicit-VR file does not spell out.
/// </summary>
public static class DicomTags
{
    // File meta (PS3.10 §7.1)
    public const uint TransferSyntaxUid = 0x0002_0010;
    // Identification and series grouping
    public const uint SpecificCharacterSet = 0x0008_0005;
    public const uint SopClassUid = 0x0008_0016;
    public const uint SopInstanceUid = 0x0008_0018;
    public const uint Modality = 0x0008_0060;
    public const uint SeriesDescription = 0x0008_103E;
    public const uint ReferencedSopInstanceUid = 0x0008_1155;
    public const uint SliceThickness = 0x0018_0050;
    public const uint RepetitionTime = 0x0018_0080;
    public const uint EchoTime = 0x0018_0081;
    public const uint SpacingBetweenSlices = 0x0018_0088;
    public const uint StudyInstanceUid = 0x0020_000D;
    public const uint SeriesInstanceUid = 0x0020_000E;
    public const uint InstanceNumber = 0x0020_0013;
    public const uint ImagePositionPatient = 0x0020_0032;
    public const uint ImageOrientationPatient = 0x0020_0037;
    public const uint FrameOfReferenceUid = 0x0020_0052;
    // Image pixel module (PS3.3 C.7.6.3)
    public const uint SamplesPerPixel = 0x0028_0002;
    public const uint PhotometricInterpretation = 0x0028_0004;
    public const uint PlanarConfiguration = 0x0028_0006;
    public const uint NumberOfFrames = 0x0028_0008;
    public const uint Rows = 0x0028_0010;
    public const uint Columns = 0x0028_0011;
    public const uint PixelSpacing = 0x0028_0030;
    public const uint BitsAllocated = 0x0028_0100;
    public const uint BitsStored = 0x0028_0101;
    public const uint HighBit = 0x0028_0102;
    public const uint PixelRepresentation = 0x0028_0103;
    public const uint RescaleIntercept = 0x0028_1052;
    public const uint RescaleSlope = 0x0028_1053;
    // Enhanced multi-frame functional groups (PS3.3 C.7.6.16)
    public const uint PlanePositionSequence = 0x0020_9113;
    public const uint PlaneOrientationSequence = 0x0020_9116;
    public const uint PixelMeasuresSequence = 0x0028_9110;
    public const uint PixelValueTransformationSequence = 0x0028_9145;
    public const uint SharedFunctionalGroupsSequence = 0x5200_9229;
    public const uint PerFrameFunctionalGroupsSequence = 0x5200_9230;
    // Segmentation (PS3.3 C.8.20)
    public const uint SegmentationType = 0x0062_0001;
    public const uint SegmentSequence = 0x0062_0002;
    public const uint SegmentNumber = 0x0062_0004;
    public const uint SegmentLabel = 0x0062_0005;
    public const uint SegmentIdentificationSequence = 0x0062_000A;
    public const uint ReferencedSegmentNumber = 0x0062_000B;
    // RT Structure Set (PS3.3 C.8.8.5, C.8.8.6)
    public const uint ReferencedFrameOfReferenceSequence = 0x3006_0010;
    public const uint RtReferencedStudySequence = 0x3006_0012;
    public const uint RtReferencedSeriesSequence = 0x3006_0014;
    public const uint ContourImageSequence = 0x3006_0016;
    public const uint StructureSetRoiSequence = 0x3006_0020;
    public const uint RoiNumber = 0x3006_0022;
    public const uint ReferencedFrameOfReferenceUid = 0x3006_0024;
    public const uint RoiName = 0x3006_0026;
    public const uint RoiContourSequence = 0x3006_0039;
    public const uint ContourSequence = 0x3006_0040;
    public const uint ContourGeometricType = 0x3006_0042;
    public const uint NumberOfContourPoints = 0x3006_0046;
    public const uint ContourData = 0x3006_0050;
    public const uint ReferencedRoiNumber = 0x3006_0084;
    // Pixel data and the item/delimiter tags (PS3.5 §7.5)
    public const uint PixelData = 0x7FE0_0010;
    public const uint Item = 0xFFFE_E000;
    public const uint ItemDelimitation = 0xFFFE_E00D;
    public const uint SequenceDelimitation = 0xFFFE_E0DD;

    private static readonly Dictionary<uint, (string Name, ushort Vr)> Entries = new()
    {
        [TransferSyntaxUid] = ("Transfer Syntax UID", DicomVr.UI),
        [SpecificCharacterSet] = ("Specific Character Set", DicomVr.CS),
        [SopClassUid] = ("SOP Class UID", DicomVr.UI),
        [SopInstanceUid] = ("SOP Instance UID", DicomVr.UI),
        [Modality] = ("Modality", DicomVr.CS),
        [SeriesDescription] = ("Series Description", DicomVr.LO),
        [ReferencedSopInstanceUid] = ("Referenced SOP Instance UID", DicomVr.UI),
        [SliceThickness] = ("Slice Thickness", DicomVr.DS),
        [RepetitionTime] = ("Repetition Time", DicomVr.DS),
        [EchoTime] = ("Echo Time", DicomVr.DS),
        [SpacingBetweenSlices] = ("Spacing Between Slices", DicomVr.DS),
        [StudyInstanceUid] = ("Study Instance UID", DicomVr.UI),
        [SeriesInstanceUid] = ("Series Instance UID", DicomVr.UI),
        [InstanceNumber] = ("Instance Number", DicomVr.IS),
        [ImagePositionPatient] = ("Image Position (Patient)", DicomVr.DS),
        [ImageOrientationPatient] = ("Image Orientation (Patient)", DicomVr.DS),
        [FrameOfReferenceUid] = ("Frame of Reference UID", DicomVr.UI),
        [SamplesPerPixel] = ("Samples per Pixel", DicomVr.US),
        [PhotometricInterpretation] = ("Photometric Interpretation", DicomVr.CS),
        [PlanarConfiguration] = ("Planar Configuration", DicomVr.US),
        [NumberOfFrames] = ("Number of Frames", DicomVr.IS),
        [Rows] = ("Rows", DicomVr.US),
        [Columns] = ("Columns", DicomVr.US),
        [PixelSpacing] = ("Pixel Spacing", DicomVr.DS),
        [BitsAllocated] = ("Bits Allocated", DicomVr.US),
        [BitsStored] = ("Bits Stored", DicomVr.US),
        [HighBit] = ("High Bit", DicomVr.US),
        [PixelRepresentation] = ("Pixel Representation", DicomVr.US),
        [RescaleIntercept] = ("Rescale Intercept", DicomVr.DS),
        [RescaleSlope] = ("Rescale Slope", DicomVr.DS),
        [PlanePositionSequence] = ("Plane Position Sequence", DicomVr.SQ),
        [PlaneOrientationSequence] = ("Plane Orientation Sequence", DicomVr.SQ),
        [PixelMeasuresSequence] = ("Pixel Measures Sequence", DicomVr.SQ),
        [PixelValueTransformationSequence] = ("Pixel Value Transformation Sequence", DicomVr.SQ),
        [SharedFunctionalGroupsSequence] = ("Shared Functional Groups Sequence", DicomVr.SQ),
        [PerFrameFunctionalGroupsSequence] = ("Per-frame Functional Groups Sequence", DicomVr.SQ),
        [SegmentationType] = ("Segmentation Type", DicomVr.CS),
        [SegmentSequence] = ("Segment Sequence", DicomVr.SQ),
        [SegmentNumber] = ("Segment Number", DicomVr.US),
        [SegmentLabel] = ("Segment Label", DicomVr.LO),
        [SegmentIdentificationSequence] = ("Segment Identification Sequence", DicomVr.SQ),
        [ReferencedSegmentNumber] = ("Referenced Segment Number", DicomVr.US),
        [ReferencedFrameOfReferenceSequence] = ("Referenced Frame of Reference Sequence", DicomVr.SQ),
        [RtReferencedStudySequence] = ("RT Referenced Study Sequence", DicomVr.SQ),
        [RtReferencedSeriesSequence] = ("RT Referenced Series Sequence", DicomVr.SQ),
        [ContourImageSequence] = ("Contour Image Sequence", DicomVr.SQ),
        [StructureSetRoiSequence] = ("Structure Set ROI Sequence", DicomVr.SQ),
        [RoiNumber] = ("ROI Number", DicomVr.IS),
        [ReferencedFrameOfReferenceUid] = ("Referenced Frame of Reference UID", DicomVr.UI),
        [RoiName] = ("ROI Name", DicomVr.LO),
        [RoiContourSequence] = ("ROI Contour Sequence", DicomVr.SQ),
        [ContourSequence] = ("Contour Sequence", DicomVr.SQ),
        [ContourGeometricType] = ("Contour Geometric Type", DicomVr.CS),
        [NumberOfContourPoints] = ("Number of Contour Points", DicomVr.IS),
        [ContourData] = ("Contour Data", DicomVr.DS),
        [ReferencedRoiNumber] = ("Referenced ROI Number", DicomVr.IS),
        [PixelData] = ("Pixel Data", DicomVr.OW),
        [0x0008_1115] = ("Referenced Series Sequence", DicomVr.SQ),
        [0x0008_1140] = ("Referenced Image Sequence", DicomVr.SQ),
        [0x0008_2112] = ("Source Image Sequence", DicomVr.SQ),
        [0x0008_9124] = ("Derivation Image Sequence", DicomVr.SQ),
        [0x0040_0275] = ("Request Attributes Sequence", DicomVr.SQ),
        [0x3006_0080] = ("RT ROI Observations Sequence", DicomVr.SQ),
    };

    /// <summary>Value representation of a tag in an implicit-VR dataset: from the dictionary, UL for group
    /// lengths, otherwise UN (read as bytes).</summary>
    internal static ushort ImplicitVr(uint tag)
    {
        if (Entries.TryGetValue(tag, out var e)) return e.Vr;
        return (tag & 0xFFFF) == 0 ? DicomVr.UL : DicomVr.UN;
    }

    /// <summary>"(0028,0010) Rows" — the tag and, when known, its name, for messages.</summary>
    public static string Describe(uint tag)
    {
        var code = string.Create(CultureInfo.InvariantCulture, $"({tag >> 16:X4},{tag & 0xFFFF:X4})");
        return Entries.TryGetValue(tag, out var e) ? $"{code} {e.Name}" : code;
    }
}

/// <summary>Value representations (PS3.5 §6.2) as their two ASCII letters packed into a ushort.</summary>
public static class DicomVr
{
    public const ushort AE = 'A' << 8 | 'E', AS = 'A' << 8 | 'S', AT = 'A' << 8 | 'T', CS = 'C' << 8 | 'S',
        DA = 'D' << 8 | 'A', DS = 'D' << 8 | 'S', DT = 'D' << 8 | 'T', FD = 'F' << 8 | 'D', FL = 'F' << 8 | 'L',
        IS = 'I' << 8 | 'S', LO = 'L' << 8 | 'O', LT = 'L' << 8 | 'T', OB = 'O' << 8 | 'B', OD = 'O' << 8 | 'D',
        OF = 'O' << 8 | 'F', OL = 'O' << 8 | 'L', OV = 'O' << 8 | 'V', OW = 'O' << 8 | 'W', PN = 'P' << 8 | 'N',
        SH = 'S' << 8 | 'H', SL = 'S' << 8 | 'L', SQ = 'S' << 8 | 'Q', SS = 'S' << 8 | 'S', ST = 'S' << 8 | 'T',
        SV = 'S' << 8 | 'V', TM = 'T' << 8 | 'M', UC = 'U' << 8 | 'C', UI = 'U' << 8 | 'I', UL = 'U' << 8 | 'L',
        UN = 'U' << 8 | 'N', UR = 'U' << 8 | 'R', US = 'U' << 8 | 'S', UT = 'U' << 8 | 'T', UV = 'U' << 8 | 'V';

    private static readonly HashSet<ushort> Known =
        [AE, AS, AT, CS, DA, DS, DT, FD, FL, IS, LO, LT, OB, OD, OF, OL, OV, OW, PN, SH, SL, SQ, SS, ST, SV, TM, UC, UI, UL, UN, UR, US, UT, UV];

    public static bool IsKnown(ushort vr) => Known.Contains(vr);

    /// <summary>Explicit-VR elements of these VRs have 2 reserved bytes and a 32-bit length (PS3.5 §7.1.2).</summary>
    public static bool HasLongLength(ushort vr) =>
        vr is OB or OD or OF or OL or OV or OW or SQ or SV or UC or UN or UR or UT or UV;

    public static string Name(ushort vr)
    {
        char a = (char)(vr >> 8), b = (char)(vr & 0xFF);
        return char.IsAsciiLetterOrDigit(a) && char.IsAsciiLetterOrDigit(b) ? $"{a}{b}" : $"0x{vr:X4}";
    }
}

/// <summary>A transfer syntax (PS3.5 §10, PS3.6 Table A-1): how the dataset and its pixel data are encoded.</summary>
public sealed record TransferSyntax(string Uid, string Name, bool ExplicitVr, bool BigEndian, bool Deflated, bool Encapsulated)
{
    public static readonly TransferSyntax ImplicitVrLittleEndian = new("1.2.840.10008.1.2", "Implicit VR Little Endian", false, false, false, false);
    public static readonly TransferSyntax ExplicitVrLittleEndian = new("1.2.840.10008.1.2.1", "Explicit VR Little Endian", true, false, false, false);
    public static readonly TransferSyntax DeflatedExplicitVrLittleEndian = new("1.2.840.10008.1.2.1.99", "Deflated Explicit VR Little Endian", true, false, true, false);
    public static readonly TransferSyntax ExplicitVrBigEndian = new("1.2.840.10008.1.2.2", "Explicit VR Big Endian", true, true, false, false);
    public static readonly TransferSyntax RleLossless = new("1.2.840.10008.1.2.5", "RLE Lossless", true, false, false, true);

    /// <summary>Compressed syntaxes Habitat recognises but does not decode: reading their pixels fails naming them.</summary>
    private static readonly TransferSyntax[] Undecoded =
    [
        Compressed("1.2.840.10008.1.2.4.50", "JPEG Baseline (Process 1)"),
        Compressed("1.2.840.10008.1.2.4.51", "JPEG Extended (Process 2 & 4)"),
        Compressed("1.2.840.10008.1.2.4.57", "JPEG Lossless, Non-Hierarchical (Process 14)"),
        Compressed("1.2.840.10008.1.2.4.70", "JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 [Selection Value 1])"),
        Compressed("1.2.840.10008.1.2.4.80", "JPEG-LS Lossless Image Compression"),
        Compressed("1.2.840.10008.1.2.4.81", "JPEG-LS Lossy (Near-Lossless) Image Compression"),
        Compressed("1.2.840.10008.1.2.4.90", "JPEG 2000 Image Compression (Lossless Only)"),
        Compressed("1.2.840.10008.1.2.4.91", "JPEG 2000 Image Compression"),
        Compressed("1.2.840.10008.1.2.4.92", "JPEG 2000 Part 2 Multi-component Image Compression (Lossless Only)"),
        Compressed("1.2.840.10008.1.2.4.93", "JPEG 2000 Part 2 Multi-component Image Compression"),
        Compressed("1.2.840.10008.1.2.4.201", "High-Throughput JPEG 2000 Image Compression (Lossless Only)"),
        Compressed("1.2.840.10008.1.2.4.202", "High-Throughput JPEG 2000 with RPCL Options Image Compression (Lossless Only)"),
        Compressed("1.2.840.10008.1.2.4.203", "High-Throughput JPEG 2000 Image Compression"),
        Compressed("1.2.840.10008.1.2.4.100", "MPEG2 Main Profile / Main Level"),
        Compressed("1.2.840.10008.1.2.4.102", "MPEG-4 AVC/H.264 High Profile / Level 4.1"),
        Compressed("1.2.840.10008.1.2.4.110", "JPEG XL Lossless"),
    ];

    private static TransferSyntax Compressed(string uid, string name) => new(uid, name, true, false, false, true);

    /// <summary>Pixel data of this syntax can be decoded here (native or RLE).</summary>
    public bool PixelsDecodable => !Encapsulated || this == RleLossless;

    /// <summary>The syntax with this UID, or null when the UID is not a transfer syntax Habitat knows.</summary>
    public static TransferSyntax? Find(string uid)
    {
        foreach (var ts in (ReadOnlySpan<TransferSyntax>)[ImplicitVrLittleEndian, ExplicitVrLittleEndian, DeflatedExplicitVrLittleEndian, ExplicitVrBigEndian, RleLossless])
            if (ts.Uid == uid) return ts;
        foreach (var ts in Undecoded)
            if (ts.Uid == uid) return ts;
        return null;
    }

    public override string ToString() => $"{Name} ({Uid})";
}
