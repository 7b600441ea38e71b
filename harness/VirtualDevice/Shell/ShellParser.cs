using System.Text;

namespace Harness.VirtualDevice.Shell;

/// <summary>
/// Parses the subset of mksh the harness and its tools send: ';' / newlines, '&amp;&amp;', '||', '|', single and double quotes,
/// backslash escapes, and output redirections (>, >>, 2>, 2>&amp;1). No I/O.
/// </summary>
public static class ShellParser
{
    public static IReadOnlyList<ShellStep> Parse(string commandLine)
    {
        var tokens = Tokenize(commandLine);
        var steps = new List<ShellStep>();
        var connector = ShellConnector.Sequence;
        var commands = new List<ShellSimpleCommand>();
        var words = new List<string>();
        var redirects = new List<ShellRedirect>();
        for (var i = 0; i < tokens.Count; i++)
        {
            var t = tokens[i];
            if (!t.IsOperator) { words.Add(t.Text); continue; }
            switch (t.Text)
            {
                case ">": case ">>": case "2>": case "2>>": case "1>": case "1>>":
                    if (i + 1 >= tokens.Count || tokens[i + 1].IsOperator) throw new ShellSyntaxException($"syntax error: '{t.Text}' unexpected");
                    var fd = t.Text.StartsWith('2') ? 2 : 1;
                    redirects.Add(new ShellRedirect(fd, tokens[++i].Text, t.Text.EndsWith(">>")));
                    break;
                case "2>&1":
                    redirects.Add(new ShellRedirect(2, "&1", false));
                    break;
                case ">&2": case "1>&2":
                    redirects.Add(new ShellRedirect(1, "&2", false));
                    break;
                case "|":
                    if (words.Count == 0) throw new ShellSyntaxException("syntax error: '|' unexpected");
                    commands.Add(new ShellSimpleCommand(words.ToArray(), redirects.ToArray()));
                    words.Clear(); redirects.Clear();
                    break;
                case ";": case "\n": case "&": case "&&": case "||":
                    if (words.Count == 0 && commands.Count == 0)
                    {
                        if (t.Text is "&&" or "||" or "&") throw new ShellSyntaxException($"syntax error: '{t.Text}' unexpected");
                        if (t.Text == ";" && (steps.Count == 0 || connector != ShellConnector.Sequence)) throw new ShellSyntaxException("syntax error: ';' unexpected");
                        continue;
                    }
                    if (words.Count == 0) throw new ShellSyntaxException($"syntax error: '{t.Text}' unexpected");
                    commands.Add(new ShellSimpleCommand(words.ToArray(), redirects.ToArray()));
                    steps.Add(new ShellStep(connector, new ShellPipeline(commands.ToArray())));
                    words.Clear(); redirects.Clear(); commands.Clear();
                    connector = t.Text switch { "&&" => ShellConnector.And, "||" => ShellConnector.Or, _ => ShellConnector.Sequence };
                    break;
                default:
                    throw new ShellSyntaxException($"syntax error: '{t.Text}' unexpected");
            }
        }
        if (words.Count > 0)
        {
            commands.Add(new ShellSimpleCommand(words.ToArray(), redirects.ToArray()));
            steps.Add(new ShellStep(connector, new ShellPipeline(commands.ToArray())));
        }
        else if (commands.Count > 0 || connector != ShellConnector.Sequence)
        {
            throw new ShellSyntaxException("syntax error: unexpected end of file");
        }
        return steps;
    }

    internal static List<ShellToken> Tokenize(string s)
    {
        var tokens = new List<ShellToken>();
        var word = new StringBuilder();
        var inWord = false;
        void EndWord()
        {
            if (inWord) tokens.Add(new ShellToken(word.ToString(), false));
            word.Clear();
            inWord = false;
        }
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            switch (c)
            {
                case ' ': case '\t': case '\r':
                    EndWord();
                    break;
                case '\n': case ';': case '|': case '&': case '>':
                    // "2>" and "2>&1" only count as operators when the 2 stands alone.
                    if (c == '>' && inWord && word.ToString() is "1" or "2")
                    {
                        var fd = word.ToString();
                        word.Clear(); inWord = false;
                        if (s.AsSpan(i).StartsWith(">&1") || s.AsSpan(i).StartsWith(">&2")) { tokens.Add(new ShellToken(fd + s.Substring(i, 3), true)); i += 2; }
                        else if (i + 1 < s.Length && s[i + 1] == '>') { tokens.Add(new ShellToken(fd + ">>", true)); i++; }
                        else tokens.Add(new ShellToken(fd + ">", true));
                        break;
                    }
                    EndWord();
                    if (c == '>' && s.AsSpan(i).StartsWith(">&2")) { tokens.Add(new ShellToken(">&2", true)); i += 2; }
                    else if (i + 1 < s.Length && s[i + 1] == c && c is '|' or '&' or '>') { tokens.Add(new ShellToken(new string(c, 2), true)); i++; }
                    else tokens.Add(new ShellToken(c.ToString(), true));
                    break;
                case '\'':
                    inWord = true;
                    var close = s.IndexOf('\'', i + 1);
                    if (close < 0) throw new ShellSyntaxException("syntax error: unterminated quoted string");
                    word.Append(s, i + 1, close - i - 1);
                    i = close;
                    break;
                case '"':
                    inWord = true;
                    i++;
                    for (; ; i++)
                    {
                        if (i >= s.Length) throw new ShellSyntaxException("syntax error: unterminated quoted string");
                        if (s[i] == '"') break;
                        if (s[i] == '\\' && i + 1 < s.Length && s[i + 1] is '"' or '\\' or '$' or '`') { word.Append(s[++i]); continue; }
                        if (s[i] == '\\' && i + 1 < s.Length && s[i + 1] == '\n') { i++; continue; }
                        word.Append(s[i]);
                    }
                    break;
                case '\\':
                    if (i + 1 >= s.Length) { word.Append('\\'); inWord = true; break; }
                    if (s[i + 1] == '\n') { i++; break; }
                    word.Append(s[++i]);
                    inWord = true;
                    break;
                case '#' when !inWord:
                    while (i + 1 < s.Length && s[i + 1] != '\n') i++;
                    break;
                default:
                    word.Append(c);
                    inWord = true;
                    break;
            }
        }
        EndWord();
        return tokens;
    }

}
