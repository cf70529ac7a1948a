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

    /// <summary>
    /// The engine's own consistency checks. SQLite: <c>PRAGMA integrity_check</c> (pages, b-trees, indexes against
    /// their tables, UNIQUE and NOT NULL) and <c>PRAGMA foreign_key_check</c>. PostgreSQL: every foreign key re-validated,
    /// and, when the <c>amcheck</c> extension is installed, every b-tree index checked against its table
    /// (<c>bt_index_check</c> with all heap tuples) and every table's heap verified (<c>verify_heapam</c>).
    /// </summary>
    public async Task<IntegrityReport> IntegrityCheckAsync(CancellationToken ct = default)
    {
        if (Provider == DatabaseProvider.Sqlite)
        {
            var problems = (await QueryAsync("PRAGMA integrity_check", null, r => r.GetString(0), ct)).Where(s => s != "ok").ToList();
            problems.AddRange(await QueryAsync("PRAGMA foreign_key_check", null, r => $"foreign key violation in {r.GetString(0)} row {r.GetValue(1)}", ct));
            return new IntegrityReport(["integrity_check", "foreign_key_check"], problems);
        }
        var checks = new List<string>();
        var found = new List<string>();
        var constraints = await QueryAsync(
            "SELECT conrelid::regclass::text, conname FROM pg_constraint WHERE contype = 'f' AND connamespace = current_schema()::regnamespace",
            null, r => (Table: r.GetString(0), Name: r.GetString(1)), ct);
        foreach (var (table, name) in constraints)
        {
            // VALIDATE re-checks every row only of a NOT VALID constraint, so re-create each as NOT VALID inside a
            // rolled-back transaction and validate it.
            await using var connection = await OpenAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            var definition = (await QueryAsync(connection, transaction, "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = @name", new { name }, r => r.GetString(0), ct))[0];
            try
            {
                await using var revalidate = Command(connection, $"ALTER TABLE {table} DROP CONSTRAINT {name}; ALTER TABLE {table} ADD CONSTRAINT {name} {definition} NOT VALID; ALTER TABLE {table} VALIDATE CONSTRAINT {name}", null, transaction);
                await revalidate.ExecuteNonQueryAsync(ct);
            }
            catch (PostgresException e) { found.Add($"{table}.{name}: {e.MessageText}"); }
            await transaction.RollbackAsync(ct);
        }
        checks.Add($"foreign keys re-validated: {constraints.Count}");
        if ((await QueryAsync("SELECT name FROM pg_available_extensions WHERE name = 'amcheck'", null, r => r.GetString(0), ct)).Count == 0) return new IntegrityReport(checks, found);
        await ExecuteAsync("CREATE EXTENSION IF NOT EXISTS amcheck", null, ct);
        var indexes = await QueryAsync(
            "SELECT c.oid::regclass::text FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam " +
            "WHERE am.amname = 'btree' AND c.relnamespace = current_schema()::regnamespace", null, r => r.GetString(0), ct);
        foreach (var index in indexes)
            try { await QueryAsync("SELECT bt_index_check(@index::regclass, true)::text", new { index }, r => r.GetValue(0), ct); }
            catch (PostgresException e) { found.Add($"index {index}: {e.MessageText}"); }
        checks.Add($"amcheck bt_index_check (heapallindexed): {indexes.Count} indexes");
        var tables = await QueryAsync("SELECT c.oid::regclass::text FROM pg_class c WHERE c.relkind = 'r' AND c.relnamespace = current_schema()::regnamespace",
            null, r => r.GetString(0), ct);
        foreach (var table in tables)
            found.AddRange(await QueryAsync("SELECT blkno::text, msg FROM verify_heapam(@table::regclass)", new { table }, r => $"table {table} block {r.GetString(0)}: {r.GetString(1)}", ct));
        checks.Add($"amcheck verify_heapam: {tables.Count} tables");
        return new IntegrityReport(checks, found);
    }
}

/// <summary>What <see cref="Database.IntegrityCheckAsync"/> ran and the problems it found (empty when the database is sound).</summary>
public sealed record IntegrityReport(IReadOnlyList<string> Checks, IReadOnlyList<string> Problems);
