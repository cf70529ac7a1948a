using System.Globalization;
using System.Net;
using System.Text;

namespace Habitat.Reports;

/// <summary>
/// A self-contained HTML report (one file: styles inline, PNG images embedded as base64 data URIs, no scripts, no
/// network), built section by section and written atomically.
/// </summary>
public sealed class HtmlReport(string title)
{
    private readonly StringBuilder _body = new();

    private static string E(string text) => WebUtility.HtmlEncode(text);
    private static string F(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>A prominent notice (e.g. synthetic data, research use only).</summary>
    public HtmlReport Notice(string text, string id = "notice")
    {
        _body.Append(CultureInfo.InvariantCulture, $"<div class=\"notice\" id=\"{E(id)}\">{E(text)}</div>\n");
        return this;
    }

    public HtmlReport Heading(string text)
    {
        _body.Append(CultureInfo.InvariantCulture, $"<h2>{E(text)}</h2>\n");
        return this;
    }

    public HtmlReport Paragraph(string text)
    {
        _body.Append(CultureInfo.InvariantCulture, $"<p>{E(text)}</p>\n");
        return this;
    }

    /// <summary>PNG figures side by side, each with a caption.</summary>
    public HtmlReport Figures(IEnumerable<(string Caption, byte[] Png, string Id)> figures)
    {
        _body.Append("<div class=\"figures\">\n");
        foreach (var (caption, png, id) in figures)
            _body.Append(CultureInfo.InvariantCulture,
                $"<figure><img id=\"{E(id)}\" alt=\"{E(caption)}\" src=\"data:image/png;base64,{Convert.ToBase64String(png)}\"><figcaption>{E(caption)}</figcaption></figure>\n");
        _body.Append("</div>\n");
        return this;
    }

    /// <summary>A probability shown as a large number and a bar, with its class.</summary>
    public HtmlReport Probability(string label, double probability, string verdict)
    {
        _body.Append(CultureInfo.InvariantCulture, $"""
            <div class="probability" id="probability">
              <div class="probability-label">{E(label)}</div>
              <div class="probability-value">{F(100 * probability, "F0")}%</div>
              <div class="bar"><div class="bar-fill" style="width:{F(100 * probability, "F1")}%"></div></div>
              <div class="verdict">{E(verdict)}</div>
            </div>

            """);
        return this;
    }

    /// <summary>Signed contributions as horizontal bars (positive towards the first class named in <paramref name="positiveMeaning"/>).</summary>
    public HtmlReport Contributions(IReadOnlyList<(string Feature, double Value, double Contribution)> rows, string scale, string positiveMeaning)
    {
        double max = rows.Count == 0 ? 1 : Math.Max(1e-12, rows.Max(r => Math.Abs(r.Contribution)));
        _body.Append(CultureInfo.InvariantCulture, $"<table class=\"contributions\" id=\"contributions\"><caption>Top contributing features ({E(scale)}; positive = {E(positiveMeaning)})</caption>\n");
        _body.Append("<tr><th>feature</th><th>value</th><th>contribution</th><th></th></tr>\n");
        foreach (var (feature, value, contribution) in rows)
        {
            double width = 50 * Math.Abs(contribution) / max;
            string style = contribution >= 0
                ? $"left:50%;width:{F(width, "F1")}%"
                : $"left:{F(50 - width, "F1")}%;width:{F(width, "F1")}%";
            string cls = contribution >= 0 ? "pos" : "neg";
            _body.Append(CultureInfo.InvariantCulture,
                $"<tr><td class=\"name\">{E(feature)}</td><td>{F(value, "G4")}</td><td>{F(contribution, "+0.000;-0.000")}</td><td class=\"cbar\"><div class=\"{cls}\" style=\"{style}\"></div></td></tr>\n");
        }
        _body.Append("</table>\n");
        return this;
    }

    public HtmlReport Table(string caption, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows, string id)
    {
        _body.Append(CultureInfo.InvariantCulture, $"<table id=\"{E(id)}\"><caption>{E(caption)}</caption>\n<tr>");
        foreach (var h in header) _body.Append(CultureInfo.InvariantCulture, $"<th>{E(h)}</th>");
        _body.Append("</tr>\n");
        foreach (var row in rows)
        {
            _body.Append("<tr>");
            foreach (var cell in row) _body.Append(CultureInfo.InvariantCulture, $"<td>{E(cell)}</td>");
            _body.Append("</tr>\n");
        }
        _body.Append("</table>\n");
        return this;
    }

    public string ToHtml() => $$"""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>{{E(title)}}</title>
        <style>
        body{font-family:system-ui,sans-serif;margin:24px;max-width:1100px;color:#222}
        h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.6em;border-bottom:1px solid #ccc}
        .notice{background:#fff3cd;border:2px solid #e0a800;padding:10px 14px;font-weight:600;margin:10px 0}
        .figures{display:flex;flex-wrap:wrap;gap:16px}figure{margin:0}figcaption{font-size:.9em;color:#555;text-align:center}
        img{display:block;border:1px solid #999;max-width:100%}
        .probability{display:inline-block;border:1px solid #999;padding:12px 18px;min-width:320px}
        .probability-value{font-size:2.6em;font-weight:700}.bar{height:14px;background:#ddd;margin:6px 0}
        .bar-fill{height:14px;background:#c0392b}.verdict{font-weight:600}
        table{border-collapse:collapse;margin:10px 0}td,th{border:1px solid #ccc;padding:3px 8px;font-size:.9em;text-align:left}
        caption{text-align:left;font-weight:600;padding:4px 0}
        .cbar{width:220px;position:relative}.cbar div{position:absolute;top:4px;height:12px}.pos{background:#c0392b}.neg{background:#2e86c1}
        td.name{font-family:monospace}
        </style></head>
        <body><h1>{{E(title)}}</h1>
        {{_body}}</body></html>
        """;

    /// <summary>Writes the report (temporary file in the same folder, then moved over the target).</summary>
    public void Write(string path)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full) ?? ".";
        Directory.CreateDirectory(dir);
        var temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllText(temp, ToHtml(), new UTF8Encoding(false));
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
