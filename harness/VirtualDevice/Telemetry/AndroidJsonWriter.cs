using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Harness.VirtualDevice.Telemetry;

/// <summary>
/// Serialises JSON the way Android's org.json (JSONStringer) does, which is what the SDK uploads:
/// compact, '/' escaped as "\/", control characters as \u00xx, other characters (including non-ASCII) as is.
/// A leak detector that string-matches "https://" instead of parsing JSON misses such URLs, as on a real phone.
/// </summary>
public static class AndroidJsonWriter
{
    public static string Write(JsonNode? node)
    {
        var text = new StringBuilder();
        Append(text, node);
        return text.ToString();
    }

    private static void Append(StringBuilder text, JsonNode? node)
    {
        switch (node)
        {
            case null:
                text.Append("null");
                break;
            case JsonObject obj:
                text.Append('{');
                var firstProperty = true;
                foreach (var (name, value) in obj)
                {
                    if (!firstProperty)
                    {
                        text.Append(',');
                    }

                    firstProperty = false;
                    AppendString(text, name);
                    text.Append(':');
                    Append(text, value);
                }

                text.Append('}');
                break;
            case JsonArray array:
                text.Append('[');
                for (var i = 0; i < array.Count; i++)
                {
                    if (i > 0)
                    {
                        text.Append(',');
                    }

                    Append(text, array[i]);
                }

                text.Append(']');
                break;
            case JsonValue value:
                switch (value.GetValueKind())
                {
                    case JsonValueKind.String:
                        AppendString(text, value.GetValue<string>());
                        break;
                    case JsonValueKind.True:
                        text.Append("true");
                        break;
                    case JsonValueKind.False:
                        text.Append("false");
                        break;
                    case JsonValueKind.Number:
                        text.Append(NumberText(value));
                        break;
                    default:
                        text.Append("null");
                        break;
                }

                break;
        }
    }

    private static string NumberText(JsonValue value)
    {
        if (value.TryGetValue<long>(out var integer))
        {
            return integer.ToString(CultureInfo.InvariantCulture);
        }

        if (value.TryGetValue<int>(out var small))
        {
            return small.ToString(CultureInfo.InvariantCulture);
        }

        if (value.TryGetValue<double>(out var real))
        {
            // org.json prints whole doubles without a fraction (JSONObject.numberToString).
            return real == Math.Floor(real) && Math.Abs(real) < 1e15
                ? ((long)real).ToString(CultureInfo.InvariantCulture)
                : real.ToString("R", CultureInfo.InvariantCulture);
        }

        return value.ToJsonString();
    }

    private static void AppendString(StringBuilder text, string value)
    {
        text.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"':
                case '\\':
                case '/':
                    text.Append('\\').Append(c);
                    break;
                case '\t':
                    text.Append("\\t");
                    break;
                case '\b':
                    text.Append("\\b");
                    break;
                case '\n':
                    text.Append("\\n");
                    break;
                case '\r':
                    text.Append("\\r");
                    break;
                case '\f':
                    text.Append("\\f");
                    break;
                default:
                    if (c <= 0x1F)
                    {
                        text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        text.Append(c);
                    }

                    break;
            }
        }

        text.Append('"');
    }
}
