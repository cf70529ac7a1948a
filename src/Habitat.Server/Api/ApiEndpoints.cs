using System.Text.Json;
using Habitat.Server.Analysis;
using Habitat.Server.Auth;
using Habitat.Server.Domain;
using Habitat.Server.Jobs;
using Habitat.Server.Storage;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Habitat.Server.Api;

public sealed record LoginRequest(string Name, string Password);
public sealed record PasswordChange(string? CurrentPassword, string? NewPassword);
public sealed record TokenRequest(string? Label);
public sealed record AnalysisRequest(string? ModelId);

/// <summary>
/// The REST API under <c>/api</c>. Roles: every signed-in user reads studies, analyses, maps and models and changes
/// their own password; clinicians and admins upload studies and start analyses; researchers and admins manage models;
/// admins read the audit log, disable and enable users and train the synthetic demo model. Every change is written to
/// the audit log.
/// </summary>
public static class ApiEndpoints
{
    public static void Map(WebApplication app)
    {
        var api = app.MapGroup("/api");
        api.MapPost("/login", Login).AllowAnonymous();
        api.MapPost("/logout", Logout).RequireAuthorization(Policies.AnyUser);
        api.MapGet("/antiforgery", (HttpContext c, IAntiforgery af) => Results.Ok(new { token = af.GetAndStoreTokens(c).RequestToken, header = "X-CSRF-TOKEN" }))
            .RequireAuthorization(Policies.AnyUser);
        api.MapGet("/me", (HttpContext c) => Results.Ok(AuthSchemes.UserOf(c.User))).RequireAuthorization(Policies.AnyUser);
        api.MapPost("/me/password", ChangePassword).RequireAuthorization(Policies.AnyUser);
        api.MapGet("/users", async (Users users) => Results.Ok(await users.ListAsync())).RequireAuthorization(Policies.Admin);
        api.MapPost("/users/{name}/disable", (string name, HttpContext c, Users users, Audit audit) => SetDisabled(name, true, c, users, audit)).RequireAuthorization(Policies.Admin);
        api.MapPost("/users/{name}/enable", (string name, HttpContext c, Users users, Audit audit) => SetDisabled(name, false, c, users, audit)).RequireAuthorization(Policies.Admin);
        api.MapGet("/tokens", async (HttpContext c, Users users) => Results.Ok(await users.ListTokensAsync(Me(c)))).RequireAuthorization(Policies.AnyUser);
        api.MapPost("/tokens", CreateToken).RequireAuthorization(Policies.AnyUser);
        api.MapDelete("/tokens/{id}", RevokeToken).RequireAuthorization(Policies.AnyUser);

        api.MapPost("/dicom/inspect", InspectDicom).RequireAuthorization(Policies.Clinical).DisableAntiforgery();
        api.MapPost("/studies", UploadStudy).RequireAuthorization(Policies.Clinical).DisableAntiforgery();
        api.MapGet("/studies", async (Studies studies, int? limit, int? offset) => Results.Ok(await studies.ListAsync(Math.Clamp(limit ?? 100, 1, 1000), Math.Max(0, offset ?? 0))))
            .RequireAuthorization(Policies.AnyUser);
        api.MapGet("/studies/{id}", ReadStudy).RequireAuthorization(Policies.AnyUser);
        api.MapPost("/studies/{id}/analyses", StartAnalysis).RequireAuthorization(Policies.Clinical);
        api.MapGet("/analyses/{id}", ReadAnalysis).RequireAuthorization(Policies.AnyUser);
        api.MapGet("/analyses/{id}/maps/{name}", DownloadMap).RequireAuthorization(Policies.AnyUser);
        api.MapGet("/jobs/{id}", async (string id, Domain.Jobs jobs) => await jobs.GetAsync(id) is { } j ? Results.Ok(JobView(j)) : NotFound("job"))
            .RequireAuthorization(Policies.AnyUser);
        api.MapGet("/jobs/{id}/events", JobEvents).RequireAuthorization(Policies.AnyUser);

        api.MapGet("/models", async (Models models) => Results.Ok(await models.ListAsync())).RequireAuthorization(Policies.AnyUser);
        api.MapPost("/models", UploadModel).RequireAuthorization(Policies.ModelManagers).DisableAntiforgery();
        api.MapPost("/models/{id}/default", SelectModel).RequireAuthorization(Policies.ModelManagers);
        api.MapPost("/models/demo", TrainDemoModel).RequireAuthorization(Policies.Admin);
        api.MapGet("/audit", async (Audit audit, int? limit, long? before) => Results.Ok(await audit.ListAsync(Math.Clamp(limit ?? 200, 1, 5000), before)))
            .RequireAuthorization(Policies.Admin);
    }

    private static User Me(HttpContext c) => AuthSchemes.UserOf(c.User)!;
    private static IResult NotFound(string what) => Results.NotFound(new { error = $"{what} not found" });
    private static IResult Error(int status, string message) => Results.Json(new { error = message }, statusCode: status);

    /// <summary>One answer for an unknown user, a wrong password, a disabled and a locked account: it says nothing about which.</summary>
    public const string SignInRefused = "wrong user name or password (repeated failures lock an account for a while)";

    private static async Task<IResult> Login(LoginRequest request, HttpContext c, Users users, Audit audit, ServerOptions options)
    {
        var name = request.Name ?? "";
        var result = await users.SignInAsync(name, request.Password ?? "", options.MaxFailedSignIns, options.Lockout);
        if (result.Outcome != SignInOutcome.Success)
        {
            await audit.RecordAsync(name, "login.failed", "user " + name);
            if (result.Outcome == SignInOutcome.LockedOut)
                await audit.RecordAsync(name, "login.locked-out", "user " + name, $"{options.MaxFailedSignIns} failed sign-ins in a row; locked for {options.Lockout}");
            else if (result.Outcome == SignInOutcome.Locked)
                await audit.RecordAsync(name, "login.refused-locked", "user " + name);
            return Error(401, SignInRefused);
        }
        var user = result.User!;
        await c.SignInAsync(AuthSchemes.Cookie, AuthSchemes.CookiePrincipal(user, result.SecurityStamp!));
        await audit.RecordAsync(user.Name, "login", "user " + user.Name);
        return Results.Ok(new { user.Name, user.Role });
    }

    /// <summary>Needs the current password (a failure counts towards the lockout). Every other cookie session of the user
    /// ends; the calling one, if a cookie session, gets a new cookie.</summary>
    private static async Task<IResult> ChangePassword(PasswordChange request, HttpContext c, Users users, Audit audit, ServerOptions options)
    {
        var me = Me(c);
        if (request.CurrentPassword is null || request.NewPassword is null) return Error(400, "currentPassword and newPassword are required");
        var check = await users.SignInAsync(me.Name, request.CurrentPassword, options.MaxFailedSignIns, options.Lockout);
        if (check.Outcome != SignInOutcome.Success)
        {
            await audit.RecordAsync(me.Name, "password.change-refused", "user " + me.Name, check.Outcome.ToString());
            return Error(400, "currentPassword: wrong (repeated failures lock the account)");
        }
        string stamp;
        try { stamp = await users.ChangePasswordAsync(me, request.NewPassword); }
        catch (ArgumentException e) { return Error(400, "newPassword: " + e.Message); }
        if (c.User.Identity?.AuthenticationType == AuthSchemes.Cookie) await c.SignInAsync(AuthSchemes.Cookie, AuthSchemes.CookiePrincipal(me, stamp));
        await audit.RecordAsync(me.Name, "password.changed", "user " + me.Name);
        return Results.NoContent();
    }

    private static async Task<IResult> SetDisabled(string name, bool disabled, HttpContext c, Users users, Audit audit)
    {
        if (disabled && name == Me(c).Name) return Error(400, "you cannot disable your own account");
        if (!await users.SetDisabledAsync(name, disabled)) return NotFound("user");
        await audit.RecordAsync(Me(c).Name, disabled ? "user.disabled" : "user.enabled", "user " + name);
        return Results.NoContent();
    }

    private static async Task<IResult> Logout(HttpContext c, Audit audit)
    {
        await c.SignOutAsync(AuthSchemes.Cookie);
        await audit.RecordAsync(Me(c).Name, "logout", "user " + Me(c).Name);
        return Results.NoContent();
    }

    private static async Task<IResult> CreateToken(TokenRequest request, HttpContext c, Users users, Audit audit)
    {
        var (id, secret) = await users.CreateTokenAsync(Me(c), request.Label ?? "api");
        await audit.RecordAsync(Me(c).Name, "token.created", "token " + id, request.Label ?? "api");
        return Results.Ok(new { id, token = secret, note = "shown once; only its hash is stored" });
    }

    private static async Task<IResult> RevokeToken(string id, HttpContext c, Users users, Audit audit)
    {
        if (!await users.RevokeTokenAsync(id, Me(c))) return NotFound("token");
        await audit.RecordAsync(Me(c).Name, "token.revoked", "token " + id);
        return Results.NoContent();
    }

    private static async Task<IResult> InspectDicom(HttpContext c, StudyUpload upload, CancellationToken ct)
    {
        try
        {
            var form = await c.Request.ReadFormAsync(ct);
            var zip = form.Files.GetFile("dicom") ?? throw new UploadRejectedException(400, "dicom: a zip of DICOM files is required");
            return Results.Ok(await upload.InspectDicomAsync(zip, ct));
        }
        catch (UploadRejectedException e) { return Error(e.Status, e.Message); }
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException) { return TooLargeOrBad(e); }
    }

    private static async Task<IResult> UploadStudy(HttpContext c, StudyUpload upload, Studies studies, Audit audit, ServerOptions options, CancellationToken ct)
    {
        if (c.Request.ContentLength > options.MaxUploadBytes) return Error(413, $"the upload exceeds {options.MaxUploadBytes} bytes");
        if (!c.Request.HasFormContentType) return Error(415, "expected multipart/form-data");
        // Cookie-authenticated form posts are checked by the anti-forgery middleware before this point.
        try
        {
            var form = await c.Request.ReadFormAsync(ct);
            var accepted = await upload.ReceiveAsync(form, ct);
            var study = await studies.AddAsync(accepted.Patient, accepted.StudyDate, accepted.Description, Me(c), accepted.Files);
            await audit.RecordAsync(Me(c).Name, "study.uploaded", "study " + study.Id,
                $"patient {study.Patient}; files {string.Join(", ", study.Files.Select(f => f.Role))}");
            return Results.Created($"/api/studies/{study.Id}", study);
        }
        catch (UploadRejectedException e) { return Error(e.Status, e.Message); }
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException) { return TooLargeOrBad(e); }
    }

    private static IResult TooLargeOrBad(Exception e) =>
        e is BadHttpRequestException { StatusCode: 413 } || e.Message.Contains("limit", StringComparison.OrdinalIgnoreCase)
            ? Error(413, "the upload is too large: " + e.Message)
            : Error(400, "malformed upload: " + e.Message);

    private static async Task<IResult> ReadStudy(string id, HttpContext c, Studies studies, Analyses analyses, Audit audit)
    {
        var study = await studies.GetAsync(id);
        if (study is null) return NotFound("study");
        await audit.RecordAsync(Me(c).Name, "study.viewed", "study " + id);
        return Results.Ok(new { study, analyses = (await analyses.ForStudyAsync(id)).Select(a => new { a.Id, a.Status, a.Probability, a.PredictedClass, a.CreatedAt }) });
    }

    private static async Task<IResult> StartAnalysis(string id, AnalysisRequest? request, HttpContext c, Studies studies, Models models, Analyses analyses,
                                                     Audit audit, JobWorker worker)
    {
        var study = await studies.GetAsync(id);
        if (study is null) return NotFound("study");
        var model = request?.ModelId is { } modelId ? await models.GetAsync(modelId) : await models.DefaultAsync();
        if (model is null) return Error(409, request?.ModelId is null ? "no default model: upload one or train the demo model (POST /api/models/demo)" : "model not found");
        var bundle = models.Load((await models.BlobOfAsync(model.Id))!);
        var settings = JsonSerializer.Serialize(new
        {
            featureSettings = bundle.FeatureSettings,
            settingsHash = bundle.SettingsHash,
            extractor = "StudyExtractor, as habitat extract --study (sequence × compartment, normalised as the settings say)",
            brainMask = study.Files.Any(f => f.Role == FileRoles.BrainMask) ? "uploaded" : "none uploaded: the non-zero voxels of the first required sequence",
            topContributions = AnalysisRunner.TopContributions,
            software = typeof(ApiEndpoints).Assembly.GetName().Version?.ToString(),
        });
        var (analysisId, jobId) = await analyses.StartAsync(study.Id, model.Id, settings, Me(c));
        worker.Wake();
        await audit.RecordAsync(Me(c).Name, "analysis.started", "study " + study.Id, $"analysis {analysisId}; model {model.Id}");
        return Results.Accepted($"/api/analyses/{analysisId}", new { analysisId, jobId, modelId = model.Id, synthetic = model.Synthetic });
    }

    private static async Task<IResult> ReadAnalysis(string id, HttpContext c, Analyses analyses, Audit audit)
    {
        var a = await analyses.GetAsync(id);
        if (a is null) return NotFound("analysis");
        await audit.RecordAsync(Me(c).Name, "analysis.viewed", "analysis " + id);
        var maps = a.Maps is { } m ? m.EnumerateObject().Select(p => new { name = p.Name, url = $"/api/analyses/{id}/maps/{Uri.EscapeDataString(p.Name)}" }).ToArray() : [];
        return Results.Ok(new { analysis = a, maps });
    }

    private static async Task<IResult> DownloadMap(string id, string name, HttpContext c, Analyses analyses, BlobStore blobs, Audit audit)
    {
        var a = await analyses.GetAsync(id);
        if (a?.Maps is not { } maps || !maps.TryGetProperty(name, out var blob)) return NotFound("map");
        await audit.RecordAsync(Me(c).Name, "map.downloaded", "analysis " + id, name);
        return Results.File(blobs.PathOf(blob.GetString()!), "application/gzip", $"{id}-{name}.nii.gz");
    }

    private static object JobView(Job j) => new { j.Id, j.Kind, j.Status, j.Progress, j.Stage, j.Error, j.Attempts, j.CreatedAt, j.StartedAt, j.FinishedAt };

    /// <summary>Server-sent events: one <c>progress</c> event per change of the job, until it is done or failed.</summary>
    private static async Task JobEvents(string id, HttpContext c, Domain.Jobs jobs, CancellationToken ct)
    {
        var job = await jobs.GetAsync(id, ct);
        if (job is null) { c.Response.StatusCode = 404; return; }
        c.Response.ContentType = "text/event-stream";
        string last = "";
        while (!ct.IsCancellationRequested && job is not null)
        {
            var json = JsonSerializer.Serialize(JobView(job));
            if (json != last)
            {
                await c.Response.WriteAsync($"event: progress\ndata: {json}\n\n", ct);
                await c.Response.Body.FlushAsync(ct);
                last = json;
            }
            if (job.Status is JobStatus.Done or JobStatus.Failed) return;
            try { await Task.Delay(250, ct); } catch (OperationCanceledException) { return; }
            job = await jobs.GetAsync(id, ct);
        }
    }

    private static async Task<IResult> UploadModel(HttpContext c, Models models, BlobStore blobs, Audit audit, CancellationToken ct)
    {
        if (!c.Request.HasFormContentType) return Error(415, "expected multipart/form-data with a model.json part named 'model'");
        var form = await c.Request.ReadFormAsync(ct);
        var file = form.Files.GetFile("model");
        if (file is null) return Error(400, "model: the model.json of a habitat train folder is required");
        var name = form["name"].ToString().Trim();
        if (name.Length is 0 or > 120) return Error(400, "name: 1–120 characters");
        string blob;
        await using (var stream = file.OpenReadStream()) blob = await blobs.PutAsync(stream, ct);
        ModelInfo model;
        try { model = await models.AddAsync(name, blob, synthetic: form["synthetic"] == "true", Me(c)); }
        catch (Exception e) when (e is InvalidDataException or JsonException or FileNotFoundException or NotSupportedException)
        {
            File.Delete(blobs.PathOf(blob));
            return Error(400, "model: not a habitat model manifest: " + e.Message);
        }
        await audit.RecordAsync(Me(c).Name, "model.uploaded", "model " + model.Id, name);
        return Results.Created($"/api/models/{model.Id}", model);
    }

    private static async Task<IResult> SelectModel(string id, HttpContext c, Models models, Audit audit)
    {
        if (!await models.SetDefaultAsync(id)) return NotFound("model");
        await audit.RecordAsync(Me(c).Name, "model.default", "model " + id);
        return Results.NoContent();
    }

    private static async Task<IResult> TrainDemoModel(HttpContext c, Domain.Jobs jobs, Audit audit, JobWorker worker, int? cases, long? seed)
    {
        var options = new DemoModelOptions(Cases: cases ?? 24, Seed: (ulong)Math.Max(1, seed ?? 1));
        try { options.Validate(); } catch (ArgumentException e) { return Error(400, e.Message); }
        var jobId = await jobs.EnqueueAsync(JobKinds.DemoModel, JsonSerializer.Serialize(options), Me(c));
        worker.Wake();
        await audit.RecordAsync(Me(c).Name, "model.demo-requested", "job " + jobId, $"{options.Cases} synthetic studies");
        return Results.Accepted($"/api/jobs/{jobId}", new { jobId, note = "trains on SYNTHETIC generated studies; for demonstration only" });
    }
}
