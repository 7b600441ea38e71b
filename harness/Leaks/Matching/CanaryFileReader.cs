using System.Text.Json;
using Harness.Core;

namespace Harness.Leaks;

/// <summary>
/// Reads the canaries file with a forward-only reader so that every complaint names the line and column
/// of the offending token; a user fixes a hand-edited file from the message alone.
/// </summary>
public static class CanaryFileReader
{
    public static CanarySet Parse(ReadOnlySpan<byte> json, string fileName)
    {
        var text = Utf8Bom.Skip(json).ToArray();
        TextPosition.RequireUtf8(text, fileName, "a canaries file");
        var reader = new Utf8JsonReader(text, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var canaries = new List<Canary>();
        var intended = new List<string>();
        var sawCanaries = false;
        try
        {
            Read(ref reader);
            if (reader.TokenType != JsonTokenType.StartObject) throw Bad(text, ref reader, "(root)", "expected a JSON object {\"canaries\":[…],\"intended\":[…]}");
            while (Read(ref reader) && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                Read(ref reader);
                switch (name)
                {
                    case "canaries":
                        sawCanaries = true;
                        ReadCanaries(text, ref reader, canaries);
                        break;
                    case "intended":
                        if (reader.TokenType != JsonTokenType.StartArray) throw Bad(text, ref reader, "intended", "expected an array of host names");
                        var index = 0;
                        while (Read(ref reader) && reader.TokenType != JsonTokenType.EndArray)
                        {
                            if (reader.TokenType != JsonTokenType.String || string.IsNullOrWhiteSpace(reader.GetString()))
                                throw Bad(text, ref reader, $"intended[{index}]", "expected a non-empty host name string");
                            intended.Add(reader.GetString()!);
                            index++;
                        }
                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }
        }
        catch (JsonException e)
        {
            throw new BadInputException($"malformed JSON: {e.Message}", fileName, (int)(e.LineNumber ?? 0) + 1, (int)(e.BytePositionInLine ?? 0) + 1, "(json)", e);
        }
        catch (InvalidOperationException e)
        {
            // A string escape that is not valid UTF-16 (a lone surrogate such as "\ud800"): found by fuzzing.
            var (line, column) = TextPosition.Of(text, reader.TokenStartIndex);
            throw new BadInputException($"a string is not valid text: {e.Message}", fileName, line, column, "(json)", e);
        }
        catch (BadInputException e) when (e.File is null)
        {
            throw new BadInputException(e.Message, fileName, e.Line, e.Column, e.Field, e);
        }
        if (!sawCanaries || canaries.Count == 0) throw new BadInputException("no canaries: add \"canaries\":[{\"kind\":\"url\",\"value\":\"…\"}]", fileName, 1, 1, "canaries");
        return new CanarySet(canaries, intended);

        static void ReadCanaries(byte[] text, ref Utf8JsonReader reader, List<Canary> canaries)
        {
            if (reader.TokenType != JsonTokenType.StartArray) throw Bad(text, ref reader, "canaries", "expected an array of {\"kind\":…,\"value\":…}");
            var index = 0;
            while (Read(ref reader) && reader.TokenType != JsonTokenType.EndArray)
            {
                var field = $"canaries[{index}]";
                if (reader.TokenType != JsonTokenType.StartObject) throw Bad(text, ref reader, field, "expected an object {\"kind\":…,\"value\":…}");
                var start = reader.TokenStartIndex;
                string? kindName = null, value = null;
                while (Read(ref reader) && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var prop = reader.GetString();
                    Read(ref reader);
                    if (prop is "kind" or "value")
                    {
                        if (reader.TokenType != JsonTokenType.String) throw Bad(text, ref reader, $"{field}.{prop}", "expected a string");
                        if (prop == "kind") kindName = reader.GetString(); else value = reader.GetString();
                        if (prop == "kind" && !CanaryKindNames.TryParse(kindName, out _))
                            throw Bad(text, ref reader, $"{field}.kind", $"unknown kind '{kindName}': use url, host, path, query or title");
                        if (prop == "value" && string.IsNullOrEmpty(value)) throw Bad(text, ref reader, $"{field}.value", "empty canary value");
                    }
                    else reader.Skip();
                }
                if (kindName is null) throw BadAt(text, ref reader, start, $"{field}.kind", "missing \"kind\"");
                if (value is null) throw BadAt(text, ref reader, start, $"{field}.value", "missing \"value\"");
                CanaryKindNames.TryParse(kindName, out var kind);
                canaries.Add(new Canary(kind, value));
                index++;
            }
        }
    }

    private static bool Read(ref Utf8JsonReader reader)
    {
        if (!reader.Read()) throw new JsonException("unexpected end of file");
        return true;
    }

    private static BadInputException Bad(byte[] text, ref Utf8JsonReader reader, string field, string message) => BadAt(text, ref reader, reader.TokenStartIndex, field, message);

    private static BadInputException BadAt(byte[] text, ref Utf8JsonReader reader, long offset, string field, string message)
    {
        // The reader does not expose line numbers of tokens, so count them in the bytes it was given.
        int line = 1, column = 1;
        for (var i = 0; i < offset && i < text.Length; i++)
        {
            if (text[i] == (byte)'\n') { line++; column = 1; }
            else if ((text[i] & 0xC0) != 0x80) column++;
        }
        return new BadInputException(message, null, line, column, field);
    }
}
