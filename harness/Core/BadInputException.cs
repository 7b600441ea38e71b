namespace Harness.Core;

/// <summary>
/// Input a user gave us (a file, an option) is wrong. The message must say what to fix; the CLI prints
/// <c>file:line:column: field: message</c> and exits 3 without a stack trace.
/// </summary>
public sealed class BadInputException : Exception
{
    public BadInputException(string message, string? file = null, int? line = null, int? column = null, string? field = null, Exception? inner = null)
        : base(message, inner)
    {
        File = file;
        Line = line;
        Column = column;
        Field = field;
    }

    public string? File { get; }
    public int? Line { get; }
    public int? Column { get; }
    public string? Field { get; }

    /// <summary>The one line a user reads: where, which field, what is wrong and what to do.</summary>
    public string Describe()
    {
        var where = File is null ? "" : File + (Line is { } l ? $":{l}" + (Column is { } c ? $":{c}" : "") : "") + ": ";
        var field = Field is null ? "" : Field + ": ";
        return where + field + Message;
    }
}
