using System.Globalization;
using PdfSharp.Drawing;
using PdfSharp.Drawing.Layout;
using PdfSharp.Fonts;
using PdfSharp.Pdf;

namespace Habitat.Reports;

/// <summary>
/// The study report as a one-page A4 PDF (PDFsharp): intended-use statement, study facts, representative slices,
/// probability bar with the threshold, contributions, volumes, model card, settings and software version. Text uses
/// WinAnsi encoding so that it stays searchable (and testable) in the content streams.
/// </summary>
public static class PdfReport
{
    private const double Margin = 36, PageWidth = 595, PageHeight = 842, Width = PageWidth - 2 * Margin;
    private static readonly XPdfFontOptions WinAnsi = new(PdfFontEncoding.WinAnsi);
    private static readonly XColor Recurrence = XColor.FromArgb(192, 57, 43), Against = XColor.FromArgb(46, 134, 193);

    public static byte[] ToPdf(StudyReportData d)
    {
        SystemFontResolver.Install();
        using var document = new PdfDocument();
        document.Info.Title = d.Title;
        document.Info.Subject = $"Probability of {d.PositiveClass}: {d.ProbabilityText}; class {d.PredictedClass}";
        document.Info.Creator = "Habitat " + d.SoftwareVersion;
        var page = document.AddPage();
        page.Width = XUnit.FromPoint(PageWidth);
        page.Height = XUnit.FromPoint(PageHeight);
        using (var gfx = XGraphics.FromPdfPage(page))
            new Layout(gfx).Draw(d);
        using var output = new MemoryStream();
        document.Save(output, closeStream: false);
        return output.ToArray();
    }

    /// <summary>Draws top to bottom, keeping the current height.</summary>
    private sealed class Layout(XGraphics gfx)
    {
        private readonly XFont _title = Font(15, bold: true), _heading = Font(10.5, bold: true), _body = Font(8), _small = Font(7), _big = Font(24, bold: true);
        private double _y = Margin;

        private static XFont Font(double size, bool bold = false) =>
            new(SystemFontResolver.Family, size, bold ? XFontStyleEx.Bold : XFontStyleEx.Regular, WinAnsi);

        public void Draw(StudyReportData d)
        {
            Text(d.Title, _title, 20);
            Notice(d.IntendedUseStatement);
            Heading("Study");
            Items(StudyReport.StudyFacts(d).ToArray(), columns: 2);
            Figures(d.Figures);
            Heading("Result");
            Probability(d);
            Heading($"Top contributing features ({d.ContributionScale}; positive = towards {d.PositiveClass})");
            Contributions(d.Contributions.Take(8).ToArray());
            Heading("Compartment volumes");
            Items(d.Volumes, columns: 3);
            Heading("Model card");
            Items(d.ModelCard, columns: 1);
            Heading("Analysis settings");
            Items(d.Settings.Append(new ReportItem("software version", d.SoftwareVersion)).ToArray(), columns: 1, font: _small);
        }

        private void Text(string text, XFont font, double height)
        {
            Draw(text, font, XBrushes.Black, new XRect(Margin, _y, Width, height), XStringFormats.TopLeft);
            _y += height;
        }

        private void Heading(string text)
        {
            _y += 5;
            Text(text, _heading, 13);
            gfx.DrawLine(new XPen(XColors.Gray, 0.5), Margin, _y, Margin + Width, _y);
            _y += 3;
        }

        private void Notice(string text)
        {
            var box = new XRect(Margin, _y, Width, 34);
            gfx.DrawRectangle(new XPen(XColor.FromArgb(224, 168, 0), 1.5), new XSolidBrush(XColor.FromArgb(255, 243, 205)), box);
            Wrap(text, Font(8, bold: true), XBrushes.Black, new XRect(box.X + 6, box.Y + 4, box.Width - 12, box.Height - 6), XStringFormats.TopLeft);
            _y += 38;
        }

        private void Items(IReadOnlyList<ReportItem> items, int columns, XFont? font = null)
        {
            font ??= _body;
            double columnWidth = Width / columns, lineHeight = font.Size * 1.35;
            for (int n = 0; n < items.Count; n += columns)
            {
                int lines = 1;
                for (int c = 0; c < columns && n + c < items.Count; c++)
                {
                    var text = $"{items[n + c].Label}: {items[n + c].Value}";
                    int needed = Math.Max(1, (int)Math.Ceiling(gfx.MeasureString(text, font).Width / (columnWidth - 8)));
                    lines = Math.Max(lines, Math.Min(needed, 4));
                    Wrap(text, font, XBrushes.Black, new XRect(Margin + c * columnWidth, _y, columnWidth - 8, lines * lineHeight + 1), XStringFormats.TopLeft);
                }
                _y += lines * lineHeight;
            }
        }

        private void Figures(IReadOnlyList<ReportFigure> figures)
        {
            if (figures.Count == 0) return;
            _y += 6;
            double gap = 8, size = Math.Min(150, (Width - gap * (figures.Count - 1)) / figures.Count), tallest = 0;
            for (int n = 0; n < figures.Count; n++)
            {
                using var stream = new MemoryStream(figures[n].Png);
                using var image = XImage.FromStream(stream);
                double scale = size / Math.Max(image.PixelWidth, image.PixelHeight);
                double w = image.PixelWidth * scale, h = image.PixelHeight * scale, x = Margin + n * (size + gap);
                gfx.DrawImage(image, x, _y, w, h);
                Draw(figures[n].Caption, _small, XBrushes.Black, new XRect(x, _y + h + 2, size, 10), XStringFormats.TopLeft);
                tallest = Math.Max(tallest, h + 12);
            }
            _y += tallest;
        }

        private void Probability(StudyReportData d)
        {
            Draw(d.ProbabilityText, _big, new XSolidBrush(Recurrence), new XRect(Margin, _y, 110, 30), XStringFormats.TopLeft);
            Draw($"probability of {d.PositiveClass}", _body, XBrushes.Black, new XRect(Margin + 115, _y + 2, 300, 12), XStringFormats.TopLeft);
            Draw($"Class: {d.PredictedClass}  (model threshold {StudyReportData.Percent(d.Threshold)})", _heading, XBrushes.Black,
                new XRect(Margin + 115, _y + 14, 300, 14), XStringFormats.TopLeft);
            double barX = Margin + 340, barWidth = Width - 340, barY = _y + 8;
            gfx.DrawRectangle(new XSolidBrush(XColor.FromArgb(221, 221, 221)), barX, barY, barWidth, 10);
            gfx.DrawRectangle(new XSolidBrush(Recurrence), barX, barY, barWidth * Math.Clamp(d.Probability, 0, 1), 10);
            double t = barX + barWidth * Math.Clamp(d.Threshold, 0, 1);
            gfx.DrawLine(new XPen(XColors.Black, 1.5), t, barY - 4, t, barY + 14);
            Draw("threshold", _small, XBrushes.Black, new XRect(t - 20, barY + 15, 40, 9), XStringFormats.TopCenter);
            _y += 34;
        }

        private void Contributions(IReadOnlyList<ReportContribution> rows)
        {
            double max = 1e-12;
            foreach (var r in rows) max = Math.Max(max, Math.Abs(r.Contribution));
            double textWidth = Width - 150, centre = Margin + textWidth + 75, lineHeight = 10.5;
            foreach (var r in rows)
            {
                var label = $"{r.Words} = {r.Value.ToString("G4", CultureInfo.InvariantCulture)}  ({r.Contribution.ToString("+0.000;-0.000", CultureInfo.InvariantCulture)})";
                Draw(Clip(label, _body, textWidth - 4), _body, XBrushes.Black, new XRect(Margin, _y, textWidth, lineHeight), XStringFormats.TopLeft);
                double w = 70 * Math.Abs(r.Contribution) / max;
                gfx.DrawRectangle(new XSolidBrush(r.Contribution >= 0 ? Recurrence : Against), r.Contribution >= 0 ? centre : centre - w, _y + 1.5, w, 7);
                _y += lineHeight;
            }
            if (rows.Count > 0) gfx.DrawLine(new XPen(XColors.Gray, 0.5), centre, _y - rows.Count * lineHeight, centre, _y);
        }

        private void Draw(string text, XFont font, XBrush brush, XRect box, XStringFormat format) => gfx.DrawString(WinAnsiText(text), font, brush, box, format);

        private void Wrap(string text, XFont font, XBrush brush, XRect box, XStringFormat format) =>
            new XTextFormatter(gfx).DrawString(WinAnsiText(text), font, brush, box, format);

        /// <summary>Dashes and ellipses outside Latin-1 as ASCII (PDFsharp's WinAnsi output drops them).</summary>
        private static string WinAnsiText(string text) => text.Replace('—', '-').Replace('–', '-').Replace("…", "...").Replace('−', '-');

        private string Clip(string text, XFont font, double width)
        {
            if (gfx.MeasureString(text, font).Width <= width) return text;
            while (text.Length > 4 && gfx.MeasureString(text + "...", font).Width > width) text = text[..^1];
            return text + "...";
        }
    }
}

/// <summary>
/// PDFsharp needs its fonts supplied on Linux: this resolver serves one sans-serif family (DejaVu Sans or Liberation
/// Sans, regular and bold) from the system's font folders, and fails with a clear message when none is installed.
/// </summary>
internal sealed class SystemFontResolver : IFontResolver
{
    public const string Family = "Habitat Sans";
    private static readonly object Gate = new();
    private static readonly string[] Folders = ["/usr/share/fonts", "/usr/local/share/fonts", "/Library/Fonts", "C:\\Windows\\Fonts"];
    private static readonly (string Regular, string Bold)[] Candidates =
        [("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"), ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"), ("arial.ttf", "arialbd.ttf")];
    private readonly byte[] _regular, _bold;

    private SystemFontResolver(byte[] regular, byte[] bold) { _regular = regular; _bold = bold; }

    public static void Install()
    {
        lock (Gate)
        {
            if (GlobalFontSettings.FontResolver is SystemFontResolver) return;
            foreach (var (regular, bold) in Candidates)
                if (Find(regular) is { } r && Find(bold) is { } b)
                {
                    GlobalFontSettings.FontResolver = new SystemFontResolver(File.ReadAllBytes(r), File.ReadAllBytes(b));
                    return;
                }
            throw new InvalidOperationException("PDF report: no usable font found (install fonts-dejavu-core or fonts-liberation)");
        }
    }

    private static string? Find(string file)
    {
        foreach (var folder in Folders)
        {
            if (!Directory.Exists(folder)) continue;
            var hit = Directory.EnumerateFiles(folder, file, SearchOption.AllDirectories).FirstOrDefault();
            if (hit is not null) return hit;
        }
        return null;
    }

    public FontResolverInfo ResolveTypeface(string familyName, bool bold, bool italic) => new(bold ? "bold" : "regular");
    public byte[] GetFont(string faceName) => faceName == "bold" ? _bold : _regular;
}
