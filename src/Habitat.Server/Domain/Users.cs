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

/// <summary>
/// Users, their passwords (ASP.NET Core Identity's <see cref="PasswordHasher{TUser}"/>: PBKDF2-HMAC-SHA512, salted,
/// format-versioned) and their API tokens (random 256-bit secrets shown once; only their SHA-256 is stored, so a
/// stolen database yields no usable token).
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
        if (password.Length < 8) throw new ArgumentException("passwords have at least 8 characters");
        if (await FindAsync(name) is not null) throw new ArgumentException($"user '{name}' exists already");
        var user = new User(Guid.NewGuid().ToString("N"), name, role, false);
        await db.ExecuteAsync("INSERT INTO users (id, name, role, password_hash, created_at) VALUES (@Id, @Name, @Role, @hash, @at)",
            new { user.Id, user.Name, user.Role, hash = Hasher.HashPassword(name, password), at = Clock.Now() });
        return user;
    }

    public async Task<long> CountAsync() =>
        (await db.QueryAsync("SELECT COUNT(*) FROM users", null, r => Convert.ToInt64(r.GetValue(0))))[0];

    public Task<User?> FindByIdAsync(string id) =>
        db.SingleAsync("SELECT id, name, role, disabled FROM users WHERE id = @id", new { id }, Read);

    public Task<User?> FindAsync(string name) =>
        db.SingleAsync("SELECT id, name, role, disabled FROM users WHERE name = @name", new { name }, Read);

    /// <summary>The user if the password is right (and the account enabled), else null.</summary>
    public async Task<User?> VerifyPasswordAsync(string name, string password)
    {
        var row = (await db.QueryAsync("SELECT id, name, role, disabled, password_hash FROM users WHERE name = @name", new { name },
            r => ((User User, string Hash)?)(Read(r), r.GetString(4)))).FirstOrDefault();
        if (row is null)
        {
            Hasher.VerifyHashedPassword(name, DummyHash, password); // same work whether or not the name exists
            return null;
        }
        var result = Hasher.VerifyHashedPassword(name, row.Value.Hash, password);
        return result == PasswordVerificationResult.Failed || row.Value.User.Disabled ? null : row.Value.User;
    }

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
