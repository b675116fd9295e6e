using System.Text;
using System.Text.Unicode;

namespace GovernanceDashboard.Importers;

/// <summary>A minimal RFC 4180 reader over bytes: quoted fields with "" escapes and line breaks, LF or CRLF, a record
/// size limit; bad records are reported, not thrown.</summary>
internal sealed class CsvReader(Stream stream)
{
    internal const int MaxRecordBytes = 1024 * 1024;

    private readonly Stream _stream = stream;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private readonly List<byte> _field = [];
    private int _pos;
    private int _end;
    private bool _eof;
    private int _line = 1;
    private long _offset;
    private bool _started;

    /// <summary>Line on which the record last returned starts.</summary>
    public int RecordLine { get; private set; }

    /// <summary>Byte offset at which the record last returned starts.</summary>
    public long RecordOffset { get; private set; }

    /// <summary>Reads the next record; false at the end. error is set (and fields empty) for a record that is not readable.</summary>
    public bool TryRead(out List<string> fields, out string? error)
    {
        fields = [];
        error = null;
        if (!_started)
        {
            _started = true;
            SkipByteOrderMark();
        }
        if (Peek() < 0) return false;

        RecordLine = _line;
        RecordOffset = _offset;
        var size = 0;
        var inQuotes = false;
        var quotedField = false;
        _field.Clear();

        while (true)
        {
            var b = Next();
            if (b < 0)
            {
                if (inQuotes) error ??= "unterminated quoted field";
                EndField(fields, ref error, quotedField);
                break;
            }
            if (++size > MaxRecordBytes && error is null)
            {
                error = $"record longer than {MaxRecordBytes / (1024 * 1024)} MiB";
                _field.Clear();
            }

            if (inQuotes)
            {
                if (b == '"')
                {
                    if (Peek() == '"')
                    {
                        Next();
                        Append((byte)'"', error);
                    }
                    else
                    {
                        inQuotes = false;
                    }
                }
                else
                {
                    Append((byte)b, error);
                }
                continue;
            }

            if (b == ',')
            {
                EndField(fields, ref error, quotedField);
                quotedField = false;
            }
            else if (b == '\n')
            {
                EndField(fields, ref error, quotedField);
                break;
            }
            else if (b == '\r' && Peek() == '\n')
            {
                // CRLF: the \n ends the record.
            }
            else if (b == '"' && _field.Count == 0 && !quotedField)
            {
                inQuotes = true;
                quotedField = true;
            }
            else
            {
                Append((byte)b, error);
            }
        }

        if (error is not null) fields.Clear();
        return true;
    }

    private void Append(byte b, string? error)
    {
        if (error is null) _field.Add(b);
    }

    private void EndField(List<string> fields, ref string? error, bool quoted)
    {
        if (error is null)
        {
            var bytes = _field.ToArray();
            if (!Utf8.IsValid(bytes)) error = "invalid UTF-8";
            else if (Array.IndexOf(bytes, (byte)0) >= 0) error = "contains a NUL byte (binary data)";
            else fields.Add(quoted ? Encoding.UTF8.GetString(bytes) : Encoding.UTF8.GetString(bytes).Trim());
        }
        _field.Clear();
    }

    private void SkipByteOrderMark()
    {
        if (Peek() != 0xEF) return;
        // Only three bytes are needed; the buffer holds at least that many unless the file is shorter.
        if (_end - _pos >= 3 && _buffer[_pos + 1] == 0xBB && _buffer[_pos + 2] == 0xBF)
        {
            _pos += 3;
            _offset += 3;
        }
    }

    private int Peek()
    {
        if (_pos < _end) return _buffer[_pos];
        if (_eof) return -1;
        var read = _stream.Read(_buffer, 0, _buffer.Length);
        _pos = 0;
        _end = read;
        if (read == 0)
        {
            _eof = true;
            return -1;
        }
        return _buffer[0];
    }

    private int Next()
    {
        var b = Peek();
        if (b < 0) return b;
        _pos++;
        _offset++;
        if (b == '\n') _line++;
        return b;
    }
}
