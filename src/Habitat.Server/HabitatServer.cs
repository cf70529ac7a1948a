using Habitat.Server.Analysis;
using Habitat.Server.Api;
using Habitat.Server.Auth;
using Habitat.Server.Domain;
using Habitat.Server.Jobs;
using Habitat.Server.Storage;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Habitat.Server;

/// <summary>Builds the service: storage, authentication, the job worker and the API (see <see cref="ApiEndpoints"/>).</summary>
public static class HabitatServer
{
    /// <param name="configure">Lets tests swap the host (e.g. a TestServer) before the app is built.</param>
    public static async Task<WebApplication> CreateAsync(ServerOptions options, Action<WebApplicationBuilder>? configure = null)
    {
        options.Validate();
        var dataDir = Path.GetFullPath(options.DataDir);
        Directory.CreateDirectory(dataDir);
        var db = options.ConnectionString is null ? Database.SqliteIn(dataDir) : new Database(options.ConnectionString);
        await Schema.MigrateAsync(db);
        var temp = Path.Combine(dataDir, "tmp");
        Directory.CreateDirectory(temp);
        var blobs = new BlobStore(Path.Combine(dataDir, "blobs"));
        AbandonedFiles.Sweep(temp, blobs.Root, DateTime.UtcNow);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = dataDir });
        builder.WebHost.UseUrls(options.Urls);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = options.MaxUploadBytes);
        var s = builder.Services;
        s.AddSingleton(options).AddSingleton(db).AddSingleton(blobs);
        s.AddSingleton<Users>().AddSingleton<Audit>().AddSingleton<Studies>().AddSingleton<Domain.Jobs>().AddSingleton<Analyses>();
        s.AddSingleton(sp => new Models(db, blobs, Path.Combine(dataDir, "models")));
        s.AddSingleton<IStudyFeatureExtractor, HabitatStudyFeatureExtractor>();
        s.AddSingleton(sp => new AnalysisRunner(db, blobs, sp.GetRequiredService<Studies>(), sp.GetRequiredService<Models>(), sp.GetRequiredService<Domain.Jobs>(),
            sp.GetRequiredService<IStudyFeatureExtractor>(), temp));
        s.AddSingleton(sp => new DemoModelJob(sp.GetRequiredService<Domain.Jobs>(), sp.GetRequiredService<Models>(), sp.GetRequiredService<Users>(), blobs,
            sp.GetRequiredService<IStudyFeatureExtractor>(), temp));
        s.AddSingleton(sp => new StudyUpload(options, blobs, temp));
        s.AddSingleton<JobWorker>().AddHostedService(sp => sp.GetRequiredService<JobWorker>());
        s.Configure<FormOptions>(f => { f.MultipartBodyLengthLimit = options.MaxUploadBytes; f.ValueCountLimit = 10_000; });
        s.AddAuthentication(AuthSchemes.Either)
            .AddPolicyScheme(AuthSchemes.Either, "cookie or token", p => p.ForwardDefaultSelector = ctx =>
                ctx.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.Ordinal) ? AuthSchemes.Token : AuthSchemes.Cookie)
            .AddCookie(AuthSchemes.Cookie, c =>
            {
                c.Cookie.Name = "habitat.auth";
                c.Cookie.HttpOnly = true;
                c.Cookie.SameSite = SameSiteMode.Strict;
                c.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                c.ExpireTimeSpan = TimeSpan.FromHours(8);
                c.SlidingExpiration = true;
                c.Events.OnValidatePrincipal = AuthSchemes.ValidateCookieAsync;
                c.Events.OnRedirectToLogin = ctx => { ctx.Response.StatusCode = 401; return Task.CompletedTask; };
                c.Events.OnRedirectToAccessDenied = ctx => { ctx.Response.StatusCode = 403; return Task.CompletedTask; };
            })
            .AddScheme<AuthenticationSchemeOptions, TokenAuthenticationHandler>(AuthSchemes.Token, null);
        s.AddAuthorizationBuilder()
            .AddPolicy(Policies.AnyUser, p => p.RequireAuthenticatedUser())
            .AddPolicy(Policies.Clinical, p => p.RequireRole(Roles.Admin, Roles.Clinician))
            .AddPolicy(Policies.ModelManagers, p => p.RequireRole(Roles.Admin, Roles.Researcher))
            .AddPolicy(Policies.Admin, p => p.RequireRole(Roles.Admin));
        s.AddAntiforgery(a => { a.HeaderName = "X-CSRF-TOKEN"; a.Cookie.Name = "habitat.csrf"; a.Cookie.SameSite = SameSiteMode.Strict; });
        s.AddOpenApi();
        s.ConfigureHttpJsonOptions(j => j.SerializerOptions.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals);
        configure?.Invoke(builder);

        var app = builder.Build();
        app.Use(SecurityHeaders);
        app.UseAuthentication();
        app.UseAuthorization();
        app.Use(RequireAntiforgeryForCookiePosts);
        app.MapOpenApi("/api/openapi.json");
        ApiEndpoints.Map(app);
        Pages.PageEndpoints.Map(app);
        return app;
    }

    private static Task SecurityHeaders(HttpContext context, Func<Task> next)
    {
        var h = context.Response.Headers;
        h.XContentTypeOptions = "nosniff";
        h.XFrameOptions = "DENY";
        h["Referrer-Policy"] = "no-referrer";
        h.ContentSecurityPolicy = "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
        h["Cross-Origin-Opener-Policy"] = "same-origin";
        h["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
        if (context.Request.Path.StartsWithSegments("/api")) h.CacheControl = "no-store";
        return next();
    }

    /// <summary>A state-changing request authenticated by cookie must carry the anti-forgery header (a bearer token cannot be forged cross-site).</summary>
    private static async Task RequireAntiforgeryForCookiePosts(HttpContext context, Func<Task> next)
    {
        bool unsafeMethod = !HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method) && !HttpMethods.IsOptions(context.Request.Method);
        if (unsafeMethod && context.User.Identity is { IsAuthenticated: true, AuthenticationType: AuthSchemes.Cookie })
        {
            var antiforgery = context.RequestServices.GetRequiredService<IAntiforgery>();
            if (!await antiforgery.IsRequestValidAsync(context))
            {
                context.Response.StatusCode = 400;
                await context.Response.WriteAsJsonAsync(new { error = "missing or invalid anti-forgery token (GET /api/antiforgery, send it as X-CSRF-TOKEN)" });
                return;
            }
        }
        await next();
    }

    /// <summary>Starts the service and blocks until it stops.</summary>
    public static async Task RunAsync(ServerOptions options, TextWriter stdout)
    {
        var app = await CreateAsync(options);
        var users = app.Services.GetRequiredService<Users>();
        if (await users.CountAsync() == 0)
            stdout.WriteLine("No users yet. Create one with: habitat users add NAME --role admin|clinician|researcher" +
                             (options.DataDir == "habitat-data" ? "" : $" --data {options.DataDir}"));
        stdout.WriteLine($"habitat serve: listening on {options.Urls} (data in {Path.GetFullPath(options.DataDir)}; API document at /api/openapi.json)");
        await app.RunAsync();
    }
}

public static class Policies
{
    public const string AnyUser = "any-user", Clinical = "clinical", ModelManagers = "model-managers", Admin = "admin";
}
