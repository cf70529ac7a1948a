using System.Net;
using System.Net.Http.Json;
using Habitat.Server.Domain;
using Microsoft.Extensions.DependencyInjection;

namespace Habitat.Server.Tests;

public sealed class AuthTests
{
    private const string A = Roles.Admin, C = Roles.Clinician, R = Roles.Researcher;

    /// <summary>Every endpoint of the API with the roles allowed to call it.</summary>
    public static readonly (string Method, string Path, string[] Allowed)[] Endpoints =
    [
        ("POST", "/api/logout", [A, C, R]),
        ("GET", "/api/me", [A, C, R]),
        ("POST", "/api/me/password", [A, C, R]),
        ("GET", "/api/users", [A]),
        ("POST", "/api/users/none/disable", [A]),
        ("POST", "/api/users/none/enable", [A]),
        ("GET", "/api/antiforgery", [A, C, R]),
        ("GET", "/api/tokens", [A, C, R]),
        ("POST", "/api/tokens", [A, C, R]),
        ("DELETE", "/api/tokens/none", [A, C, R]),
        ("POST", "/api/dicom/inspect", [A, C]),
        ("POST", "/api/studies", [A, C]),
        ("GET", "/api/studies", [A, C, R]),
        ("GET", "/api/studies/none", [A, C, R]),
        ("POST", "/api/studies/none/analyses", [A, C]),
        ("GET", "/api/analyses/none", [A, C, R]),
        ("GET", "/api/analyses/none/maps/m", [A, C, R]),
        ("GET", "/api/jobs/none", [A, C, R]),
        ("GET", "/api/jobs/none/events", [A, C, R]),
        ("GET", "/api/models", [A, C, R]),
        ("POST", "/api/models", [A, R]),
        ("POST", "/api/models/none/default", [A, R]),
        ("POST", "/api/models/demo?cases=1", [A]),
        ("GET", "/api/audit", [A]),
    ];

    private static HttpRequestMessage Request(string method, string path)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
            request.Content = path is "/api/studies" or "/api/models" or "/api/dicom/inspect"
                ? new MultipartFormDataContent { { new StringContent("x"), "nothing" } }
                : JsonContent.Create(new { label = "t" });
        return request;
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Every_endpoint_refuses_the_unauthenticated_and_the_wrong_roles(string engine)
    {
        await using var host = await TestServerHost.StartAsync(engine);
        var anonymous = host.Anonymous();
        var clients = new Dictionary<string, HttpClient>();
        foreach (var role in Roles.All) clients[role] = await host.AsRoleAsync(role);
        foreach (var (method, path, allowed) in Endpoints)
        {
            Assert.True(HttpStatusCode.Unauthorized == (await anonymous.SendAsync(Request(method, path))).StatusCode, $"{method} {path} without credentials");
            foreach (var role in Roles.All)
            {
                var status = (await clients[role].SendAsync(Request(method, path))).StatusCode;
                if (allowed.Contains(role)) Assert.True(status is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden), $"{method} {path} as {role}: {status}");
                else Assert.True(HttpStatusCode.Forbidden == status, $"{method} {path} as {role}: {status}, expected 403");
            }
        }
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task A_revoked_token_is_refused_at_once(string engine)
    {
        await using var host = await TestServerHost.StartAsync(engine);
        var client = await host.AsRoleAsync(Roles.Clinician);
        var created = await (await client.PostAsJsonAsync("/api/tokens", new { label = "script" })).JsonAsync();
        var second = host.Anonymous();
        second.DefaultRequestHeaders.Authorization = new("Bearer", created.GetProperty("token").GetString());
        Assert.Equal(HttpStatusCode.OK, (await second.GetAsync("/api/studies")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/tokens/{created.GetProperty("id").GetString()}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await second.GetAsync("/api/studies")).StatusCode);
        second.DefaultRequestHeaders.Authorization = new("Bearer", "hbt_" + new string('0', 64));
        Assert.Equal(HttpStatusCode.Unauthorized, (await second.GetAsync("/api/studies")).StatusCode);
        // Tokens are stored hashed: the secret itself appears nowhere in the database.
        var stored = await host.Db.QueryAsync("SELECT token_hash FROM api_tokens", null, r => r.GetString(0));
        Assert.DoesNotContain(created.GetProperty("token").GetString(), stored);
    }

    [Fact]
    public async Task Cookie_sign_in_needs_the_password_and_cookie_posts_need_the_anti_forgery_token()
    {
        await using var host = await TestServerHost.StartAsync("sqlite");
        var client = host.Anonymous();
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync("/api/login", new { name = "admin1", password = "wrong password" })).StatusCode);
        var login = await client.PostAsJsonAsync("/api/login", new { name = "admin1", password = TestServerHost.Password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var cookies = login.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).ToList();
        Assert.Contains(login.Headers.GetValues("Set-Cookie"), c => c.Contains("httponly", StringComparison.OrdinalIgnoreCase) && c.Contains("samesite=strict", StringComparison.OrdinalIgnoreCase));

        HttpRequestMessage WithCookies(HttpRequestMessage m) { m.Headers.Add("Cookie", string.Join("; ", cookies)); return m; }
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(WithCookies(new(HttpMethod.Get, "/api/audit")))).StatusCode);
        var noToken = await client.SendAsync(WithCookies(new(HttpMethod.Post, "/api/tokens") { Content = JsonContent.Create(new { label = "x" }) }));
        Assert.Equal(HttpStatusCode.BadRequest, noToken.StatusCode);
        Assert.Contains("anti-forgery", await noToken.Content.ReadAsStringAsync());

        var af = await client.SendAsync(WithCookies(new(HttpMethod.Get, "/api/antiforgery")));
        cookies.AddRange(af.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
        var token = (await af.JsonAsync()).GetProperty("token").GetString();
        var withToken = WithCookies(new(HttpMethod.Post, "/api/tokens") { Content = JsonContent.Create(new { label = "x" }) });
        withToken.Headers.Add("X-CSRF-TOKEN", token);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(withToken)).StatusCode);

        var logout = WithCookies(new(HttpMethod.Post, "/api/logout"));
        logout.Headers.Add("X-CSRF-TOKEN", token);
        Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(logout)).StatusCode);
        var audit = await host.Db.QueryAsync("SELECT action FROM audit_log ORDER BY seq", null, r => r.GetString(0));
        Assert.Equal(["login.failed", "login", "token.created", "logout"], audit);
    }

    [Fact]
    public async Task Responses_carry_security_headers_and_the_audit_log_is_append_only()
    {
        await using var host = await TestServerHost.StartAsync("sqlite");
        var response = await (await host.AsRoleAsync(Roles.Researcher)).GetAsync("/api/models");
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.StartsWith("default-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single());
        await host.App.Services.GetRequiredService<Audit>().RecordAsync("x", "y", "z");
        await Assert.ThrowsAnyAsync<Exception>(() => host.Db.ExecuteAsync("UPDATE audit_log SET action = 'forged'"));
        await Assert.ThrowsAnyAsync<Exception>(() => host.Db.ExecuteAsync("DELETE FROM audit_log"));
        Assert.Equal(["y"], await host.Db.QueryAsync("SELECT action FROM audit_log", null, r => r.GetString(0)));
    }

    [Fact]
    public async Task The_OpenAPI_document_lists_the_endpoints()
    {
        await using var host = await TestServerHost.StartAsync("sqlite");
        var doc = await (await host.Anonymous().GetAsync("/api/openapi.json")).JsonAsync();
        var paths = doc.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToHashSet();
        foreach (var path in new[] { "/api/login", "/api/studies", "/api/studies/{id}/analyses", "/api/analyses/{id}", "/api/models/demo", "/api/audit" })
            Assert.Contains(path, paths);
    }
}
