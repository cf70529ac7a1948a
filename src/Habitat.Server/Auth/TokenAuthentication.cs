using System.Security.Claims;
using System.Text.Encodings.Web;
using Habitat.Server.Domain;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Habitat.Server.Auth;

/// <summary>Authentication: cookies for the pages, <c>Authorization: Bearer hbt_…</c> API tokens for scripts.</summary>
public static class AuthSchemes
{
    public const string Cookie = "Cookies", Token = "Token", Either = "CookieOrToken";
    private const string StampClaim = "habitat:security-stamp";

    public static ClaimsPrincipal Principal(User user, string scheme) => new(new ClaimsIdentity(
        [new Claim(ClaimTypes.NameIdentifier, user.Id), new Claim(ClaimTypes.Name, user.Name), new Claim(ClaimTypes.Role, user.Role)], scheme));

    /// <summary>A cookie session's principal: the user plus the security stamp checked by <see cref="ValidateCookieAsync"/>.</summary>
    public static ClaimsPrincipal CookiePrincipal(User user, string securityStamp)
    {
        var principal = Principal(user, Cookie);
        ((ClaimsIdentity)principal.Identity!).AddClaim(new Claim(StampClaim, securityStamp));
        return principal;
    }

    /// <summary>Runs on every cookie-authenticated request: the session ends at once when its user has been disabled or
    /// has changed password (the stored security stamp no longer matches the one in the cookie).</summary>
    public static async Task ValidateCookieAsync(CookieValidatePrincipalContext context)
    {
        var id = context.Principal?.FindFirstValue(ClaimTypes.NameIdentifier);
        var stamp = id is null ? null : await context.HttpContext.RequestServices.GetRequiredService<Users>().SessionStampAsync(id);
        if (stamp is not null && stamp == context.Principal!.FindFirstValue(StampClaim)) return;
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(Cookie);
    }

    public static User? UserOf(ClaimsPrincipal principal) => principal.Identity?.IsAuthenticated == true
        ? new User(principal.FindFirstValue(ClaimTypes.NameIdentifier)!, principal.Identity.Name!, principal.FindFirstValue(ClaimTypes.Role)!, false)
        : null;
}

/// <summary>Looks the bearer token's hash up on every request, so a revoked token stops working at once.</summary>
public sealed class TokenAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, Users users)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal)) return AuthenticateResult.NoResult();
        var user = await users.FindByTokenAsync(header["Bearer ".Length..].Trim());
        return user is null
            ? AuthenticateResult.Fail("unknown or revoked token")
            : AuthenticateResult.Success(new AuthenticationTicket(AuthSchemes.Principal(user, AuthSchemes.Token), AuthSchemes.Token));
    }
}
