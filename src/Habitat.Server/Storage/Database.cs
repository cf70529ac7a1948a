using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Habitat.Server.Storage;

public enum DatabaseProvider { Sqlite, PostgreSql }

/// <summary>
/// The one relational store behind the service: SQLite (embedded default: WAL journal, foreign keys on, busy timeout)
/// or PostgreSQL chosen by a connection string that names a <c>Host=</c>. Both run the same schema (<see cref="Schema"/>);
/// SQL here is the common subset, with named <c>@parameters</c>.
/// </summary>
public sealed class Database
{
    public DatabaseProvider Provider { get; }
    private readonly string _connectionString;
    private readonly NpgsqlDataSource? _postgres;

    public Database(string connectionString)
    {
        bool postgres = connectionString.Contains("Host=", StringComparison.OrdinalIgnoreCase);
        Provider = postgres ? DatabaseProvider.PostgreSql : DatabaseProvider.Sqlite;
        if (postgres) _postgres = NpgsqlDataSource.Create(connectionString);
        else
            _connectionString = new SqliteConnectionStringBuilder(connectionString)
            {
                ForeignKeys = true, DefaultTimeout = 30, Pooling = true, Mode = SqliteOpenMode.ReadWriteCreate,
            }.ToString();
        _connectionString ??= connectionString;
    }

    /// <summary>A SQLite database in <paramref name="dataDir"/>/habitat.db.</summary>
    public static Database SqliteIn(string dataDir) => new("Data Source=" + Path.Combine(dataDir, "habitat.db"));

    public async Task<DbConnection> OpenAsync(CancellationToken ct = default)
    {
        if (_postgres is not null) return await _postgres.OpenConnectionAsync(ct);
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(ct);
        // busy_timeout lets concurrent writers wait for the single SQLite write lock instead of failing at once.
        using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA busy_timeout = 30000; PRAGMA synchronous = NORMAL;";
        await pragma.ExecuteNonQueryAsync(ct);
        return connection;
    }

    public static DbCommand Command(DbConnection connection, string sql, object? parameters = null, DbTransaction? transaction = null)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        if (parameters is not null)
            foreach (var property in parameters.GetType().GetProperties())
            {
                var p = command.CreateParameter();
                p.ParameterName = "@" + property.Name;
                p.Value = property.GetValue(parameters) ?? DBNull.Value;
                command.Parameters.Add(p);
            }
        return command;
    }

    public async Task<int> ExecuteAsync(string sql, object? parameters = null, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = Command(connection, sql, parameters);
        return await command.ExecuteNonQueryAsync(ct);
    }

    public async Task<List<T>> QueryAsync<T>(string sql, object? parameters, Func<DbDataReader, T> map, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        return await QueryAsync(connection, null, sql, parameters, map, ct);
    }

    public static async Task<List<T>> QueryAsync<T>(DbConnection connection, DbTransaction? transaction, string sql, object? parameters,
                                                    Func<DbDataReader, T> map, CancellationToken ct = default)
    {
        await using var command = Command(connection, sql, parameters, transaction);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new List<T>();
        while (await reader.ReadAsync(ct)) rows.Add(map(reader));
        return rows;
    }

    public async Task<T?> SingleAsync<T>(string sql, object? parameters, Func<DbDataReader, T> map, CancellationToken ct = default) where T : class =>
        (await QueryAsync(sql, parameters, map, ct)).FirstOrDefault();

    /// <summary>Runs <paramref name="work"/> in one transaction; committed only if it returns without throwing.</summary>
    public async Task<T> InTransactionAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var result = await work(connection, transaction);
        await transaction.CommitAsync(ct);
        return result;
    }

    /// <summary>The engine's own consistency check: SQLite <c>PRAGMA integrity_check</c> and foreign-key check;
    /// PostgreSQL: every foreign key re-validated. Returns the problems found (empty when sound).</summary>
    public async Task<IReadOnlyList<string>> IntegrityCheckAsync(CancellationToken ct = default)
    {
        if (Provider == DatabaseProvider.Sqlite)
        {
            var problems = (await QueryAsync("PRAGMA integrity_check", null, r => r.GetString(0), ct)).Where(s => s != "ok").ToList();
            problems.AddRange(await QueryAsync("PRAGMA foreign_key_check", null, r => $"foreign key violation in {r.GetString(0)}", ct));
            return problems;
        }
        var constraints = await QueryAsync(
            "SELECT conrelid::regclass::text, conname FROM pg_constraint WHERE contype = 'f' AND connamespace = current_schema()::regnamespace",
            null, r => (Table: r.GetString(0), Name: r.GetString(1)), ct);
        var found = new List<string>();
        foreach (var (table, name) in constraints)
        {
            // Dropping NOT VALID is not possible on an existing constraint; VALIDATE re-checks every row of a NOT VALID one,
            // so re-create each as NOT VALID inside a rolled-back transaction and validate it.
            await using var connection = await OpenAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            var definition = (await QueryAsync(connection, transaction, "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = @name", new { name }, r => r.GetString(0), ct))[0];
            try
            {
                await using var drop = Command(connection, $"ALTER TABLE {table} DROP CONSTRAINT {name}; ALTER TABLE {table} ADD CONSTRAINT {name} {definition} NOT VALID; ALTER TABLE {table} VALIDATE CONSTRAINT {name}", null, transaction);
                await drop.ExecuteNonQueryAsync(ct);
            }
            catch (PostgresException e) { found.Add($"{table}.{name}: {e.MessageText}"); }
            await transaction.RollbackAsync(ct);
        }
        return found;
    }
}
