using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Harness.Evidence.Bundles;

/// <summary>The one JSON dialect every evidence file uses, so re-serialising a record yields the same bytes.</summary>
public static class BundleJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // Evidence excerpts contain URLs and non-ASCII text; keep them readable in the files.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static byte[] Serialize<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, Options);

    public static T Deserialize<T>(ReadOnlySpan<byte> json, string fileForErrors)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, Options)
                   ?? throw new Harness.Core.BadInputException("file is empty or JSON null", fileForErrors);
        }
        catch (JsonException e)
        {
            throw new Harness.Core.BadInputException("not valid JSON for " + typeof(T).Name + ": " + e.Message, fileForErrors,
                e.LineNumber is { } l ? (int)l + 1 : null, e.BytePositionInLine is { } c ? (int)c + 1 : null, e.Path, e);
        }
    }
}
