using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Habitat.Server.Api;
using Habitat.Server.Domain;
using Habitat.Server.Storage;

namespace Habitat.Server.Tests;

/// <summary>Cookie sessions end at once when their user is disabled or changes password; repeated failed sign-ins lock an account.</summary>
public sealed class SessionTests
{
    private const string NewPassword = "a new password 2";

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Disabling_a_user_or_changing_the_password_ends_their_cookie_sessions_at_once(string engine)
    {
        await using var host = await TestServerHost.StartAsync(engine);
        var admin = await host.AsRoleAsync(Roles.Admin);
        var token = await host.AsRoleAsync(Roles.Clinician);
        var a = new CookieSession(host.Anonymous());
        var b = new CookieSession(host.Anonymous());
        Assert.Equal(HttpStatusCode.OK, await a.LoginAsync("clinician1", TestServerHost.Password));
        Assert.Equal(HttpStatusCode.OK, await b.LoginAsync("clinician1", TestServerHost.Password));
        Assert.Equal(HttpStatusCode.OK, (await b.GetAsync("/api/me")).StatusCode);

        // A password change needs the current password; it ends the other session and renews the one that made it.
        Assert.Equal(HttpStatusCode.BadRequest, (await a.PostAsync("/api/me/password", new { currentPassword = "not the password", newPassword = NewPassword })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await a.PostAsync("/api/me/password", new { currentPassword = TestServerHost.Password, newPassword = "short" })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await a.PostAsync("/api/me/password", new { currentPassword = TestServerHost.Password, newPassword = NewPassword })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await b.GetAsync("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await a.GetAsync("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await new CookieSession(host.Anonymous()).LoginAsync("clinician1", TestServerHost.Password));
        var c = new CookieSession(host.Anonymous());
        Assert.Equal(HttpStatusCode.OK, await c.LoginAsync("clinician1", NewPassword));
        Assert.Equal(HttpStatusCode.OK, (await token.GetAsync("/api/studies")).StatusCode); // API tokens are separate credentials

        // Disabling ends every session and refuses the tokens at the next request; enabling again does not revive old sessions.
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync("/api/users/clinician1/disable", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await a.GetAsync("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await c.GetAsync("/api/studies")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await token.GetAsync("/api/studies")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await new CookieSession(host.Anonymous()).LoginAsync("clinician1", NewPassword));
        var listed = (await (await admin.GetAsync("/api/users")).JsonAsync()).EnumerateArray().Single(u => u.GetProperty("name").GetString() == "clinician1");
        Assert.True(listed.GetProperty("disabled").GetBoolean());
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync("/api/users/clinician1/enable", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await c.GetAsync("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await token.GetAsync("/api/studies")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, await new CookieSession(host.Anonymous()).LoginAsync("clinician1", NewPassword));

        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsync("/api/users/admin1/disable", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync("/api/users/nobody/disable", null)).StatusCode);
        var actions = await host.Db.QueryAsync("SELECT action FROM audit_log ORDER BY seq", null, r => r.GetString(0));
        Assert.Single(actions, "password.change-refused");
        Assert.Single(actions, "password.changed");
        Assert.Single(actions, "user.disabled");
        Assert.Single(actions, "user.enabled");
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Five_failed_sign_ins_lock_the_account_for_15_minutes_and_every_refusal_reads_the_same(string engine)
    {
        await using var host = await TestServerHost.StartAsync(engine);
        var client = host.Anonymous();
        async Task<(HttpStatusCode Status, string Body)> Login(string name, string password)
        {
            var response = await client.PostAsJsonAsync("/api/login", new { name, password });
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }
        var refused = await Login("nobody", "whatever password");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
        Assert.Contains(ApiEndpoints.SignInRefused, refused.Body);

        // Four failures, then success: the count starts again.
        for (int n = 0; n < 4; n++) Assert.Equal(refused, await Login("clinician1", "wrong password " + n));
        Assert.Equal(HttpStatusCode.OK, (await Login("clinician1", TestServerHost.Password)).Status);
        var before = DateTime.UtcNow;
        for (int n = 0; n < 5; n++) Assert.Equal(refused, await Login("clinician1", "wrong password " + n));
        Assert.Equal(refused, await Login("clinician1", TestServerHost.Password)); // locked: even the right password

        var audit = await host.Db.QueryAsync("SELECT action, target FROM audit_log ORDER BY seq", null, r => (Action: r.GetString(0), Target: r.GetString(1)));
        Assert.Equal(["login.failed", .. Enumerable.Repeat("login.failed", 4), "login", .. Enumerable.Repeat("login.failed", 5), "login.locked-out", "login.failed", "login.refused-locked"],
            audit.Select(e => e.Action));
        var admin = await host.AsRoleAsync(Roles.Admin);
        var listed = (await (await admin.GetAsync("/api/users")).JsonAsync()).EnumerateArray().Single(u => u.GetProperty("name").GetString() == "clinician1");
        var lockedUntil = DateTime.Parse(listed.GetProperty("lockedUntil").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);
        Assert.InRange(lockedUntil, before.AddMinutes(15), DateTime.UtcNow.AddMinutes(15));

        // The lock ends when its time is up (moved into the past here) ...
        await host.Db.ExecuteAsync("UPDATE users SET locked_until = @past WHERE name = 'clinician1'", new { past = Clock.Format(DateTime.UtcNow.AddSeconds(-1)) });
        Assert.Equal(HttpStatusCode.OK, (await Login("clinician1", TestServerHost.Password)).Status);
        // ... or when an admin enables the account.
        for (int n = 0; n < 5; n++) Assert.Equal(refused, await Login("researcher1", "wrong password " + n));
        Assert.Equal(refused, await Login("researcher1", TestServerHost.Password));
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync("/api/users/researcher1/enable", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Login("researcher1", TestServerHost.Password)).Status);
    }
}

/// <summary>A browser-like session on the test server: keeps its cookies and sends the anti-forgery header with changes.</summary>
public sealed class CookieSession(HttpClient client)
{
    private readonly Dictionary<string, string> _cookies = new(StringComparer.Ordinal);

    public async Task<HttpStatusCode> LoginAsync(string name, string password) =>
        (await SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/login") { Content = JsonContent.Create(new { name, password }) })).StatusCode;

    public Task<HttpResponseMessage> GetAsync(string path) => SendAsync(new HttpRequestMessage(HttpMethod.Get, path));

    public async Task<HttpResponseMessage> PostAsync(string path, object body)
    {
        var antiforgery = await GetAsync("/api/antiforgery");
        Assert.Equal(HttpStatusCode.OK, antiforgery.StatusCode);
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("X-CSRF-TOKEN", (await antiforgery.JsonAsync()).GetProperty("token").GetString());
        return await SendAsync(request);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
    {
        if (_cookies.Count > 0) request.Headers.Add("Cookie", string.Join("; ", _cookies.Select(p => $"{p.Key}={p.Value}")));
        var response = await client.SendAsync(request);
        if (response.Headers.TryGetValues("Set-Cookie", out var set))
            foreach (var cookie in set)
            {
                var pair = cookie.Split(';')[0];
                int eq = pair.IndexOf('=');
                var (name, value) = (pair[..eq], pair[(eq + 1)..]);
                if (value.Length == 0) _cookies.Remove(name);
                else _cookies[name] = value;
            }
        return response;
    }
}
