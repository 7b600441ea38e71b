using System.Text;

namespace Harness.VirtualDevice.Telemetry;

/// <summary>
/// java.net.URLEncoder.encode(value, "UTF-8"): letters, digits and ".-*_" stay, space becomes '+', every
/// other UTF-8 byte becomes %XX in upper case. So base64's "+ / =" travel as %2B %2F %3D.
/// </summary>
public static class JavaUrlEncoder
{
    public static string Encode(string value)
    {
        var text = new StringBuilder(value.Length);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '.' or '-' or '*' or '_')
            {
                text.Append(c);
            }
            else if (c == ' ')
            {
                text.Append('+');
            }
            else
            {
                text.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return text.ToString();
    }
}
