using System.Text.Json;

namespace Harness.Core;

/// <summary>
/// Finds where a value sits in a JSON text, by the field path error messages use (<c>log.entries[0].request.url</c>,
/// <c>vendor[1]</c>; <c>$</c> is the root), so a complaint found on a parsed document can still name the line and
/// column the user has to fix. A missing field is located at its nearest existing parent. Runs only on the error path.
/// </summary>
public static class JsonValueLocator
{
    /// <returns>1-based line and column of the value (or of its nearest existing ancestor), or null if none is found.</returns>
    public static (int Line, int Column)? Find(ReadOnlySpan<byte> json, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var target = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path == "$" ? "" : path;
        long? best = null;
        var frames = new List<Frame>();
        var reader = new Utf8JsonReader(json, new JsonReaderOptions
        {
            AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip, MaxDepth = 4096,
        });
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        frames[^1].Name = reader.GetString();
                        continue;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        frames.RemoveAt(frames.Count - 1);
                        continue;
                }
                var valuePath = ValuePath(frames);
                if (valuePath == target) return TextPosition.Of(json, reader.TokenStartIndex);
                var isAncestor = valuePath.Length == 0 || (target.StartsWith(valuePath, StringComparison.Ordinal)
                    && target.Length > valuePath.Length && target[valuePath.Length] is '.' or '[');
                if (isAncestor) best = reader.TokenStartIndex;
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                    frames.Add(new Frame(valuePath, reader.TokenType == JsonTokenType.StartArray));
            }
        }
        catch (JsonException)
        {
            // The text breaks off after the value was found (or never had it): report the best ancestor seen.
        }
        return best is { } offset ? TextPosition.Of(json, offset) : null;
    }

    private static string ValuePath(List<Frame> frames)
    {
        if (frames.Count == 0) return "";
        var parent = frames[^1];
        if (parent.IsArray) return $"{parent.Path}[{++parent.Index}]";
        return parent.Path.Length == 0 ? parent.Name ?? "" : $"{parent.Path}.{parent.Name}";
    }

    private sealed class Frame(string path, bool isArray)
    {
        public string Path { get; } = path;
        public bool IsArray { get; } = isArray;
        public int Index { get; set; } = -1;
        public string? Name { get; set; }
    }
}
