using System.Globalization;
using System.Text.Json;
using Harness.Evidence.Records;
using Microsoft.Data.Sqlite;

namespace Harness.Evidence.History;

/// <summary>
/// Run history in SQLite (default results/history.db). WAL journal and one transaction per case: a run killed midway
/// keeps every case recorded before the kill and leaves a consistent database.
/// </summary>
public sealed class HistoryStore : IAsyncDisposable, IDisposable
{
    public static string DefaultPath => System.IO.Path.Combine("results", "history.db");

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS runs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            started TEXT NOT NULL,
            ended TEXT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('run', 'nightly')),
            harness_version TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS cases (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            run_id INTEGER NOT NULL REFERENCES runs(id),
            case_id TEXT NOT NULL,
            device TEXT NULL,
            model TEXT NULL,
            browser TEXT NOT NULL,
            browser_version TEXT NULL,
            scenario TEXT NOT NULL,
            mode TEXT NOT NULL,
            verdict TEXT NOT NULL CHECK (verdict IN ('pass', 'fail', 'inconclusive')),
            reason TEXT NULL,
            finding_summary TEXT NOT NULL,
            finding_keys TEXT NOT NULL,
            UNIQUE (run_id, case_id)
        );
        CREATE INDEX IF NOT EXISTS cases_by_browser ON cases (browser, scenario, mode);
        """;

    private readonly SqliteConnection _connection;

    private HistoryStore(SqliteConnection connection, string path)
    {
        _connection = connection;
        DatabasePath = path;
    }

    public string DatabasePath { get; }

    public static async Task<HistoryStore> OpenAsync(string path, CancellationToken ct)
    {
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        // No pooling: when the store is disposed the file is really closed (tests and the next run can reopen it).
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        try
        {
            await connection.OpenAsync(ct);
            await ExecuteAsync(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000;", ct);
            await ExecuteAsync(connection, Schema, ct);
        }
        catch (SqliteException e) when (e.SqliteErrorCode is 26 /* SQLITE_NOTADB */ or 11 /* SQLITE_CORRUPT */)
        {
            await connection.DisposeAsync();
            throw new Harness.Core.BadInputException("not a usable history database: " + e.Message, path, inner: e);
        }
        return new HistoryStore(connection, path);
    }

    public async Task<long> StartRunAsync(DateTimeOffset startedUtc, string kind, string harnessVersion, CancellationToken ct)
    {
        await using var command = _connection.CreateCommand();
        command.CommandText = "INSERT INTO runs (started, kind, harness_version) VALUES ($started, $kind, $version) RETURNING id;";
        command.Parameters.AddWithValue("$started", Format(startedUtc));
        command.Parameters.AddWithValue("$kind", kind);
        command.Parameters.AddWithValue("$version", harnessVersion);
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    public async Task EndRunAsync(long runId, DateTimeOffset endedUtc, CancellationToken ct)
    {
        await using var command = _connection.CreateCommand();
        command.CommandText = "UPDATE runs SET ended = $ended WHERE id = $id;";
        command.Parameters.AddWithValue("$ended", Format(endedUtc));
        command.Parameters.AddWithValue("$id", runId);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Records one finished case in its own committed transaction.</summary>
    public async Task RecordCaseAsync(long runId, CaseRecord record, CancellationToken ct)
    {
        await using var transaction = (SqliteTransaction)await _connection.BeginTransactionAsync(ct);
        await using (var command = _connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = """
                INSERT INTO cases (run_id, case_id, device, model, browser, browser_version, scenario, mode, verdict, reason, finding_summary, finding_keys)
                VALUES ($run, $case, $device, $model, $browser, $version, $scenario, $mode, $verdict, $reason, $summary, $keys);
                """;
            var keys = record.Findings.Select(f => f.SummaryKey).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            command.Parameters.AddWithValue("$run", runId);
            command.Parameters.AddWithValue("$case", record.CaseId);
            command.Parameters.AddWithValue("$device", (object?)record.DeviceSerial ?? DBNull.Value);
            command.Parameters.AddWithValue("$model", (object?)record.DeviceModel ?? DBNull.Value);
            command.Parameters.AddWithValue("$browser", record.BrowserPackage);
            command.Parameters.AddWithValue("$version", (object?)record.BrowserVersion ?? DBNull.Value);
            command.Parameters.AddWithValue("$scenario", record.Scenario);
            command.Parameters.AddWithValue("$mode", record.Mode);
            command.Parameters.AddWithValue("$verdict", record.Verdict);
            command.Parameters.AddWithValue("$reason", (object?)record.Reason ?? DBNull.Value);
            command.Parameters.AddWithValue("$summary", string.Join("; ", record.Findings
                .GroupBy(f => f.SummaryKey, StringComparer.Ordinal).Select(g => g.Count() == 1 ? g.Key : $"{g.Key} ×{g.Count()}")));
            command.Parameters.AddWithValue("$keys", JsonSerializer.Serialize(keys));
            await command.ExecuteNonQueryAsync(ct);
        }
        await transaction.CommitAsync(ct);
    }

    /// <summary>Begins a transaction the caller never commits; only for tests that simulate a kill in the middle of a write.</summary>
    internal async Task<SqliteTransaction> BeginAbandonedCaseAsync(long runId, CaseRecord record, CancellationToken ct)
    {
        var transaction = (SqliteTransaction)await _connection.BeginTransactionAsync(ct);
        await using var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO cases (run_id, case_id, browser, scenario, mode, verdict, finding_summary, finding_keys) VALUES ($run, $case, $browser, $scenario, $mode, $verdict, '', '[]');";
        command.Parameters.AddWithValue("$run", runId);
        command.Parameters.AddWithValue("$case", record.CaseId);
        command.Parameters.AddWithValue("$browser", record.BrowserPackage);
        command.Parameters.AddWithValue("$scenario", record.Scenario);
        command.Parameters.AddWithValue("$mode", record.Mode);
        command.Parameters.AddWithValue("$verdict", record.Verdict);
        await command.ExecuteNonQueryAsync(ct);
        return transaction;
    }

    public async Task<IReadOnlyList<HistoryRun>> ListRunsAsync(CancellationToken ct)
    {
        await using var command = _connection.CreateCommand();
        command.CommandText = "SELECT id, started, ended, kind, harness_version FROM runs ORDER BY started, id;";
        await using var reader = await command.ExecuteReaderAsync(ct);
        var runs = new List<HistoryRun>();
        while (await reader.ReadAsync(ct))
            runs.Add(new HistoryRun(reader.GetInt64(0), Parse(reader.GetString(1)), reader.IsDBNull(2) ? null : Parse(reader.GetString(2)),
                reader.GetString(3), reader.GetString(4)));
        return runs;
    }

    public async Task<IReadOnlyList<HistoryCase>> ListCasesAsync(HistoryQuery query, CancellationToken ct)
    {
        await using var command = _connection.CreateCommand();
        command.CommandText = """
            SELECT c.run_id, r.started, c.case_id, c.device, c.model, c.browser, c.browser_version, c.scenario, c.mode, c.verdict,
                   c.reason, c.finding_summary, c.finding_keys
            FROM cases c JOIN runs r ON r.id = c.run_id
            WHERE ($run IS NULL OR c.run_id = $run) AND ($browser IS NULL OR c.browser = $browser)
              AND ($scenario IS NULL OR c.scenario = $scenario) AND ($mode IS NULL OR c.mode = $mode)
            ORDER BY r.started, c.run_id, c.id;
            """;
        command.Parameters.AddWithValue("$run", (object?)query.RunId ?? DBNull.Value);
        command.Parameters.AddWithValue("$browser", (object?)query.Browser ?? DBNull.Value);
        command.Parameters.AddWithValue("$scenario", (object?)query.Scenario ?? DBNull.Value);
        command.Parameters.AddWithValue("$mode", (object?)query.Mode ?? DBNull.Value);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var cases = new List<HistoryCase>();
        while (await reader.ReadAsync(ct))
        {
            cases.Add(new HistoryCase
            {
                RunId = reader.GetInt64(0),
                RunStartedUtc = Parse(reader.GetString(1)),
                CaseId = reader.GetString(2),
                Device = reader.IsDBNull(3) ? null : reader.GetString(3),
                Model = reader.IsDBNull(4) ? null : reader.GetString(4),
                Browser = reader.GetString(5),
                BrowserVersion = reader.IsDBNull(6) ? null : reader.GetString(6),
                Scenario = reader.GetString(7),
                Mode = reader.GetString(8),
                Verdict = reader.GetString(9),
                Reason = reader.IsDBNull(10) ? null : reader.GetString(10),
                FindingSummary = reader.GetString(11),
                FindingKeys = JsonSerializer.Deserialize<List<string>>(reader.GetString(12)) ?? [],
            });
        }
        return cases;
    }

    /// <summary>PRAGMA integrity_check: "ok" for a healthy database.</summary>
    public async Task<string> IntegrityCheckAsync(CancellationToken ct)
    {
        await using var command = _connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check;";
        return (string)(await command.ExecuteScalarAsync(ct))!;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(ct);
    }

    // ISO 8601 UTC with fixed width, so text order is time order in SQL.
    private static string Format(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static DateTimeOffset Parse(string value) =>
        DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    public void Dispose() => _connection.Dispose();
}
