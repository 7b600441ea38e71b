using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Harness.Flows;

/// <summary>
/// The JSON-lines form of a <see cref="Flow"/>: one flow per line, bodies as base64, enums as names.
/// This is the FlowStore's on-disk format, so it must stay readable by older and newer builds (unknown fields are ignored).
/// </summary>
public static class FlowJson
{
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            WriteIndented = false,
        };
        options.Converters.Add(new JsonStringEnumConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    /// <summary>One line, no trailing newline.</summary>
    public static string Serialize(Flow flow) => JsonSerializer.Serialize(flow, Options);

    public static byte[] SerializeToUtf8(Flow flow) => JsonSerializer.SerializeToUtf8Bytes(flow, Options);

    /// <summary>
    /// Writes one flow into a caller's writer (no intermediate string or array: bodies go to base64 straight into the
    /// writer's buffer). The writer's own options decide escaping; use <see cref="Options"/>' encoder for the store's format.
    /// </summary>
    public static void Serialize(Utf8JsonWriter writer, Flow flow) => JsonSerializer.Serialize(writer, flow, Options);

    public static Flow Deserialize(string line) =>
        JsonSerializer.Deserialize<Flow>(line, Options) ?? throw new JsonException("null flow");

    /// <summary>
    /// Reads every complete flow of a JSON-lines file. A last line that does not parse is taken as torn
    /// (the writer was killed mid-line) and skipped; a bad line anywhere else is corruption and throws.
    /// </summary>
    public static List<Flow> ReadLines(string path, long fromOffset = 0)
    {
        var flows = new List<Flow>();
        if (!File.Exists(path)) return flows;
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        file.Seek(fromOffset, SeekOrigin.Begin);
        using var reader = new StreamReader(file, Encoding.UTF8);
        var lineNumber = 0;
        string? pending = null;
        var pendingLine = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (pending is not null) flows.Add(ParseLine(pending, path, pendingLine));
            pending = line.Length == 0 ? null : line;
            pendingLine = lineNumber;
        }
        if (pending is not null)
        {
            try { flows.Add(Deserialize(pending)); }
            catch (JsonException) { /* torn last line: the process died while writing it */ }
        }
        return flows;
    }

    private static Flow ParseLine(string line, string path, int lineNumber)
    {
        try { return Deserialize(line); }
        catch (JsonException e)
        {
            throw new Harness.Core.BadInputException("not a flow JSON line: " + e.Message, path, lineNumber, (int?)(e.BytePositionInLine + 1), e.Path, e);
        }
    }
}
