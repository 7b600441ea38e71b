using System.Text;
using System.Text.Json;

namespace Harness.LeakSuite;

/// <summary>Appends <see cref="SuiteResultLine"/>s as cases finish (flushed each time: a killed run keeps what finished).</summary>
public sealed class SuiteResultLog(string path)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);
    private readonly SemaphoreSlim _gate = new(1, 1);

    public string Path { get; } = path;

    public async Task AppendAsync(SuiteResultLine line, CancellationToken ct)
    {
        var text = JsonSerializer.Serialize(line, Json) + "\n";
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await File.AppendAllTextAsync(Path, text, Utf8NoBom, ct).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }
}
