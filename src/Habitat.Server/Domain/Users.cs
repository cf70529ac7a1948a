using System.Security.Cryptography;
using System.Text;
using Habitat.Server.Storage;
using Microsoft.AspNetCore.Identity;

namespace Habitat.Server.Domain;

public static class Roles
{
    public const string Admin = "admin", Clinician = "clinician", Researcher = "researcher";
    public static readonly IReadOnlyList<string> All = [Admin, Clinician, Researcher];
}

public sealed record User(string Id, string Name, string Role, bool Disabled);

public enum SignInOutcome
{
    Success,
    /// <summary>Unknown user, wrong password or disabled account.</summary>
    Failed,
    /// <summary>This failure locked the account.</summary>
    LockedOut,
    /// <summary>The account was locked already: the password was not looked at.</summary>
    Locked,
}

/// <summary>A sign-in's outcome; on success the user and the security stamp its session carries.</summary>
public sealed record SignInResult(SignInOutcome Outcome, User? User = null, string? SecurityStamp = null);

/// <summary>
/// Users, their passwords (ASP.NET Core Identity's <see cref="PasswordHasher{TUser}"/>: PBKDF2-HMAC-SHA512, salted,
/// format-versioned) and their API tokens (random 256-bit secrets shown once; only their SHA-256 is stored, so a
/// stolen database yields no usable token). Repeated failed sign-ins lock an account for a while. Each user has a
/// security stamp, replaced when the password changes or the account is disabled; a cookie session carries the stamp
/// it was issued with and is valid only while the two agree.
/// </summary>
public sealed class Users(Database db)
{
    private static readonly PasswordHasher<string> Hasher = new();
    public const string TokenPrefix = "hbt_";

    public async Task<User> AddAsync(string name, string role, string password)
    {
        if (!Roles.All.Contains(role)) throw new ArgumentException($"role must be one of {string.Join(", ", Roles.All)}, got '{role}'");
        if (string.IsNullOrWhiteSpace(name) || name.Length > 64 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            throw new ArgumentException("user names are 1–64 characters of letters, digits, '.', '_' or '-'");
        ValidatePassword(password);
        if (await FindAsync(name) is not null) throw new ArgumentException($"user '{name}' exists already");
        var user = new User(Guid.NewGuid().ToString("N"), name, role, false);
        await db.ExecuteAsync("INSERT INTO users (id, name, role, password_hash, created_at, security_stamp) VALUES (@Id, @Name, @Role, @hash, @at, @stamp)",
            new { user.Id, user.Name, user.Role, hash = Hasher.HashPassword(name, password), at = Clock.Now(), stamp = NewStamp() });
        return user;
    }

    private static void ValidatePassword(string password)
    {
        if (password.Length < 8) throw new ArgumentException("passwords have at least 8 characters");
    }

    private static string NewStamp() => Guid.NewGuid().ToString("N");

    public async Task<long> CountAsync() =>
        (await db.QueryAsync("SELECT COUNT(*) FROM users", null, r => Convert.ToInt64(r.GetValue(0))))[0];

    public Task<User?> FindByIdAsync(string id) =>
        db.SingleAsync("SELECT id, name, role, disabled FROM users WHERE id = @id", new { id }, Read);

    public Task<User?> FindAsync(string name) =>
        db.SingleAsync("SELECT id, name, role, disabled FROM users WHERE name = @name", new { name }, Read);

    /// <summary>
    /// Checks a sign-in. An unknown name costs the same hashing as a known one. A locked account is refused without
    /// looking at the password; every other failure (wrong password, disabled account) counts, and the
    /// <paramref name="maxFailures"/>-th in a row locks the account for <paramref name="lockout"/>. Success clears the count.
    /// </summary>
    public async Task<SignInResult> SignInAsync(string name, string password, int maxFailures, TimeSpan lockout)
    {
        var row = (await db.QueryAsync("SELECT id, name, role, disabled, password_hash, security_stamp, locked_until FROM users WHERE name = @name", new { name },
            r => ((User User, string Hash, string Stamp, string? LockedUntil)?)(Read(r), r.GetString(4), r.GetString(5), r.IsDBNull(6) ? null : r.GetString(6)))).FirstOrDefault();
        if (row is not { } user || string.CompareOrdinal(user.LockedUntil, Clock.Now()) > 0)
        {
            Hasher.VerifyHashedPassword(name, DummyHash, password); // the same work whether or not the name exists or is locked
            return new SignInResult(row is null ? SignInOutcome.Failed : SignInOutcome.Locked);
        }
        if (Hasher.VerifyHashedPassword(name, user.Hash, password) != PasswordVerificationResult.Failed && !user.User.Disabled)
        {
            await db.ExecuteAsync("UPDATE users SET failed_sign_ins = 0, locked_until = NULL WHERE id = @Id", new { user.User.Id });
            return new SignInResult(SignInOutcome.Success, user.User, user.Stamp);
        }
        var until = Clock.Format(DateTime.UtcNow + lockout);
        var lockedUntil = await db.QueryAsync(
            "UPDATE users SET failed_sign_ins = CASE WHEN failed_sign_ins + 1 >= @maxFailures THEN 0 ELSE failed_sign_ins + 1 END, " +
            "locked_until = CASE WHEN failed_sign_ins + 1 >= @maxFailures THEN @until ELSE locked_until END WHERE id = @Id RETURNING locked_until",
            new { maxFailures, until, user.User.Id }, r => r.IsDBNull(0) ? null : r.GetString(0));
        return new SignInResult(lockedUntil.SingleOrDefault() == until ? SignInOutcome.LockedOut : SignInOutcome.Failed);
    }

    /// <summary>The security stamp of an enabled user, else null: a cookie session is valid while it carries this stamp.</summary>
    public Task<string?> SessionStampAsync(string userId) =>
        db.SingleAsync("SELECT security_stamp FROM users WHERE id = @userId AND disabled = 0", new { userId }, r => r.GetString(0));

    /// <summary>Sets a new password and a new security stamp (ending the user's cookie sessions); returns the new stamp.</summary>
    public async Task<string> ChangePasswordAsync(User user, string newPassword)
    {
        ValidatePassword(newPassword);
        var stamp = NewStamp();
        await db.ExecuteAsync("UPDATE users SET password_hash = @hash, security_stamp = @stamp WHERE id = @Id",
            new { hash = Hasher.HashPassword(user.Name, newPassword), stamp, user.Id });
        return stamp;
    }

    /// <summary>Disables (ending every session and refusing its tokens) or enables an account; enabling also lifts a
    /// sign-in lockout. False if there is no such user.</summary>
    public async Task<bool> SetDisabledAsync(string name, bool disabled) =>
        await db.ExecuteAsync("UPDATE users SET disabled = @d, security_stamp = @stamp, failed_sign_ins = 0, locked_until = NULL WHERE name = @name",
            new { d = disabled ? 1 : 0, stamp = NewStamp(), name }) == 1;

    public Task<List<object>> ListAsync() =>
        db.QueryAsync("SELECT name, role, disabled, created_at, locked_until FROM users ORDER BY name", null, r => (object)new
        {
            name = r.GetString(0), role = r.GetString(1), disabled = Convert.ToInt64(r.GetValue(2)) != 0, createdAt = r.GetString(3),
            lockedUntil = r.IsDBNull(4) ? null : r.GetString(4),
        });

    private static readonly string DummyHash = Hasher.HashPassword("", Guid.NewGuid().ToString());

    /// <summary>Creates a token for <paramref name="user"/>; the secret is returned once and never stored.</summary>
    public async Task<(string Id, string Secret)> CreateTokenAsync(User user, string label)
    {
        var secret = TokenPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var id = Guid.NewGuid().ToString("N");
        await db.ExecuteAsync("INSERT INTO api_tokens (id, user_id, token_hash, label, created_at) VALUES (@id, @userId, @hash, @label, @at)",
            new { id, userId = user.Id, hash = HashToken(secret), label, at = Clock.Now() });
        return (id, secret);
    }

    /// <summary>The enabled user owning an unrevoked token, else null.</summary>
    public Task<User?> FindByTokenAsync(string secret) =>
        db.SingleAsync("SELECT u.id, u.name, u.role, u.disabled FROM api_tokens t JOIN users u ON u.id = t.user_id " +
                       "WHERE t.token_hash = @hash AND t.revoked_at IS NULL AND u.disabled = 0", new { hash = HashToken(secret) }, Read);

    /// <summary>Revokes a token of <paramref name="owner"/> (any token when <paramref name="owner"/> is an admin).</summary>
    public async Task<bool> RevokeTokenAsync(string tokenId, User owner) =>
        await db.ExecuteAsync("UPDATE api_tokens SET revoked_at = @at WHERE id = @tokenId AND revoked_at IS NULL AND (user_id = @userId OR @admin = 1)",
            new { at = Clock.Now(), tokenId, userId = owner.Id, admin = owner.Role == Roles.Admin ? 1 : 0 }) == 1;

    public Task<List<object>> ListTokensAsync(User owner) =>
        db.QueryAsync("SELECT id, label, created_at, revoked_at FROM api_tokens WHERE user_id = @id ORDER BY created_at", new { id = owner.Id },
            r => (object)new { id = r.GetString(0), label = r.GetString(1), createdAt = r.GetString(2), revokedAt = r.IsDBNull(3) ? null : r.GetString(3) });

    private static string HashToken(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static User Read(System.Data.Common.DbDataReader r) => new(r.GetString(0), r.GetString(1), r.GetString(2), Convert.ToInt64(r.GetValue(3)) != 0);
}
