using System.Security.Claims;
using Habitat.Imaging.IO;
using Habitat.Reports;
using Habitat.Server.Domain;
using Habitat.Server.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;

namespace Habitat.Server.Pages;

/// <summary>
/// The pages people use (plain HTML + JS modules from <c>web/site</c>, the niivue bundle from npm, both copied into
/// <c>wwwroot</c> by <c>Pages.targets</c>) and the few read-only endpoints they need beyond <see cref="Api.ApiEndpoints"/>:
/// the worklist with each study's latest result, study images as NIfTI for the viewer, an analysis summary in plain
/// words, model cards, and the report as HTML and PDF. Pages are checked server-side: signed out → sign-in page,
/// wrong role → 403; nothing is loaded from outside the server.
/// </summary>
public static class PageEndpoints
{
    /// <summary>Where the built pages are: beside the assemblies.</summary>
    public static string WebRoot => Path.Combine(AppContext.BaseDirectory, "wwwroot");

    private static readonly string[] Everyone = [], ModelManagers = [Roles.Admin, Roles.Researcher], AdminOnly = [Roles.Admin];

    // The viewer draws with WebGL and decodes images in the page: it needs data:/blob: images and inline styles that the
    // global policy refuses; everything still comes from this server.
    private const string ViewerPolicy = "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; worker-src 'self' blob:; " +
                                        "connect-src 'self' data: blob:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
    // The HTML report is one self-contained file: inline styles and embedded PNGs, no scripts.
    private const string ReportPolicy = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    public static void Map(WebApplication app)
    {
        var root = WebRoot;
        if (!File.Exists(Path.Combine(root, "site", "study.html")) || !File.Exists(Path.Combine(root, "vendor", "niivue", "niivue.js")))
            throw new InvalidOperationException($"the web pages are missing from {root}: build src/Habitat.Server with npm available (web/package.json)");
        var reports = ActivatorUtilities.CreateInstance<StudyReports>(app.Services);
        app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(Path.Combine(root, "site")), RequestPath = "/assets" });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(Path.Combine(root, "vendor")), RequestPath = "/vendor" });

        app.MapGet("/", () => Results.Redirect("/worklist"));
        app.MapGet("/signin", (HttpContext c) => Page(c, "signin", null));
        app.MapGet("/worklist", (HttpContext c) => Page(c, "worklist", Everyone));
        app.MapGet("/upload", (HttpContext c) => Page(c, "upload", [Roles.Admin, Roles.Clinician]));
        app.MapGet("/studies/{id}", (HttpContext c) => Page(c, "study", Everyone, ViewerPolicy));
        app.MapGet("/models", (HttpContext c) => Page(c, "models", ModelManagers));
        app.MapGet("/audit", (HttpContext c) => Page(c, "audit", AdminOnly));
        app.MapGet("/analyses/{id}/report", (string id, HttpContext c, Audit audit) => ReportHtml(id, c, reports, audit));
        app.MapGet("/analyses/{id}/report.pdf", (string id, HttpContext c, Audit audit) => ReportPdf(id, c, reports, audit));

        var api = app.MapGroup("/api").RequireAuthorization(Policies.AnyUser);
        api.MapGet("/worklist", Worklist);
        api.MapGet("/studies/{id}/images/{role}.nii.gz", StudyImage);
        api.MapGet("/analyses/{id}/summary", (string id) => Summary(id, reports));
        api.MapGet("/models/{id}/card", async (string id, Models models) =>
            await models.GetAsync(id) is { } m ? Results.Ok(StudyReports.ModelCard(m).Select(Item)) : Results.NotFound(new { error = "model not found" }));
    }

    private static IResult Page(HttpContext c, string name, string[]? roles, string? policy = null)
    {
        if (roles is not null)
        {
            if (c.User.Identity?.IsAuthenticated != true)
                return Results.Redirect("/signin?next=" + Uri.EscapeDataString(c.Request.Path + c.Request.QueryString));
            if (roles.Length > 0 && !roles.Any(c.User.IsInRole))
                return Results.Content(Forbidden(c.User), "text/html; charset=utf-8", statusCode: 403);
        }
        if (policy is not null) c.Response.Headers.ContentSecurityPolicy = policy;
        c.Response.Headers.CacheControl = "no-store";
        return Results.File(Path.Combine(WebRoot, "site", name + ".html"), "text/html; charset=utf-8");
    }

    private static string Forbidden(ClaimsPrincipal user) => $"""
        <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Not allowed — Habitat</title><link rel="icon" href="/assets/favicon.svg" type="image/svg+xml"><link rel="stylesheet" href="/assets/app.css"></head>
        <body><header><span class="brand">HABITAT</span></header><main><h1>Not allowed</h1>
        <p class="message error" role="alert">Your role ({System.Net.WebUtility.HtmlEncode(user.FindFirstValue(ClaimTypes.Role) ?? "none")}) does not give access to this page.</p>
        <p><a class="button" href="/worklist">Back to the worklist</a></p></main></body></html>
        """;

    private static object Item(ReportItem i) => new { label = i.Label, value = i.Value };

    /// <summary>Each study with its latest analysis (status "none" when never analysed).</summary>
    private static async Task<IResult> Worklist(Studies studies, Analyses analyses)
    {
        var rows = new List<object>();
        foreach (var s in await studies.ListAsync(1000, 0))
        {
            var latest = (await analyses.ForStudyAsync(s.Id)).LastOrDefault();
            rows.Add(new
            {
                id = s.Id, patient = s.Patient, studyDate = s.StudyDate, description = s.Description, createdAt = s.CreatedAt,
                status = latest?.Status ?? "none", probability = latest?.Probability, predictedClass = latest?.PredictedClass, analysisId = latest?.Id,
            });
        }
        return Results.Ok(rows);
    }

    /// <summary>A study file as gzipped NIfTI for the viewer (converted once from NRRD/MetaImage and cached beside the blobs).</summary>
    private static async Task<IResult> StudyImage(string id, string role, Studies studies, BlobStore blobs)
    {
        if (!FileRoles.IsKnown(role)) return Results.NotFound(new { error = $"no image role '{role}'" });
        var study = await studies.GetAsync(id);
        var file = study?.Files.FirstOrDefault(f => f.Role == role);
        if (file is null) return Results.NotFound(new { error = $"the study has no {role} image" });
        var views = Path.Combine(blobs.Root, "..", "views");
        var view = Path.Combine(views, file.Blob + ".nii.gz");
        if (!File.Exists(view))
        {
            Directory.CreateDirectory(views);
            var source = blobs.PathOf(file.Blob);
            var temp = Path.Combine(views, $".{file.Blob}.{Guid.NewGuid():N}.nii.gz");
            try
            {
                if (role is FileRoles.LabelMap or FileRoles.BrainMask) ImageFile.Write(ImageFile.ReadLabels(source), temp);
                else ImageFile.Write(ImageFile.Read(source), temp);
                File.Move(temp, view, overwrite: true);
            }
            finally { if (File.Exists(temp)) File.Delete(temp); }
        }
        return Results.File(view, "application/gzip", $"{role}.nii.gz");
    }

    private static async Task<IResult> Summary(string id, StudyReports reports)
    {
        if (await reports.LoadAsync(id) is not { } loaded) return Results.NotFound(new { error = "analysis not found" });
        var (analysis, study, model) = loaded;
        var positive = StudyReports.PositiveClass(model);
        return Results.Ok(new
        {
            positiveClass = positive,
            synthetic = model.Synthetic,
            scale = StudyReports.ContributionScale(analysis),
            contributions = StudyReports.Contributions(analysis).Select(c => new
            {
                feature = c.Feature, words = c.Words, value = c.Value, contribution = c.Contribution, direction = FeatureWording.Direction(c.Contribution, positive),
            }),
            volumes = reports.Volumes(study).Select(Item),
            modelCard = StudyReports.ModelCard(model).Select(Item),
        });
    }

    private static async Task<IResult> ReportHtml(string id, HttpContext c, StudyReports reports, Audit audit) =>
        await Report(id, c, reports, audit, "report.viewed", data =>
        {
            c.Response.Headers.ContentSecurityPolicy = ReportPolicy;
            return Results.Content(StudyReport.ToHtml(data), "text/html; charset=utf-8");
        });

    private static async Task<IResult> ReportPdf(string id, HttpContext c, StudyReports reports, Audit audit) =>
        await Report(id, c, reports, audit, "report.downloaded", data =>
            Results.File(PdfReport.ToPdf(data), "application/pdf", $"habitat-{data.Patient}-{id}.pdf"));

    private static async Task<IResult> Report(string id, HttpContext c, StudyReports reports, Audit audit, string action, Func<StudyReportData, IResult> render)
    {
        if (c.User.Identity?.IsAuthenticated != true) return Results.Redirect("/signin?next=" + Uri.EscapeDataString(c.Request.Path));
        if (await reports.LoadAsync(id) is not { } loaded) return Results.NotFound(new { error = "analysis not found" });
        var (analysis, study, model) = loaded;
        if (analysis.Status != JobStatus.Done) return Results.Conflict(new { error = $"the analysis is {analysis.Status}: the report exists once it is done" });
        var data = reports.Report(analysis, study, model);
        await audit.RecordAsync(c.User.Identity.Name ?? "", action, "analysis " + id, "study " + study.Id);
        return render(data);
    }
}
