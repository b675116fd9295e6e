namespace GovernanceDashboard.Importers;

/// <summary>Splits a stream into byte lines of bounded length; an over-long line is reported and skipped without being held in memory.</summary>
internal sealed class LineReader
{
    /// <summary>docs/imports.md: a line over 1 MiB is rejected alone.</summary>
    internal const int MaxLineBytes = 1024 * 1024;

    private readonly Stream _stream;
    private readonly int _maxLineBytes;
    private byte[] _buffer;
    private int _pos;
    private int _end;
    private bool _eof;
    private bool _first = true;

    public LineReader(Stream stream, int maxLineBytes = MaxLineBytes, int initialBufferSize = 64 * 1024)
    {
        _stream = stream;
        _maxLineBytes = maxLineBytes;
        _buffer = new byte[Math.Max(16, Math.Min(initialBufferSize, maxLineBytes + 1))];
    }

    /// <summary>1-based number of the line last returned.</summary>
    public int LineNumber { get; private set; }

    /// <summary>Byte offset in the stream at which the line last returned starts.</summary>
    public long LineOffset { get; private set; }

    private long _bufferOffset;

    /// <summary>Next line without its "\n" or "\r\n"; valid until the next call. tooLong means the line was skipped (line is empty).</summary>
    public bool TryReadLine(out ReadOnlyMemory<byte> line, out bool tooLong)
    {
        line = default;
        tooLong = false;
        if (_eof && _pos >= _end) return false;

        var searchFrom = _pos;
        while (true)
        {
            var newline = _buffer.AsSpan(searchFrom, _end - searchFrom).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                var lineEnd = searchFrom + newline;
                if (lineEnd - _pos > _maxLineBytes)
                {
                    // Found the end of a line that is already too long.
                    Begin();
                    _pos = lineEnd + 1;
                    tooLong = true;
                    return true;
                }
                line = Trim(_pos, lineEnd);
                Begin();
                _pos = lineEnd + 1;
                return true;
            }

            if (_end - _pos > _maxLineBytes)
            {
                Begin();
                SkipRestOfLine();
                tooLong = true;
                return true;
            }

            if (_eof)
            {
                if (_pos >= _end) return false;
                // Last line without a final newline.
                line = Trim(_pos, _end);
                Begin();
                _pos = _end;
                return true;
            }

            searchFrom = _end;
            var shift = Fill();
            searchFrom -= shift;
        }
    }

    private void Begin()
    {
        LineNumber++;
        LineOffset = _bufferOffset + _pos;
    }

    private ReadOnlyMemory<byte> Trim(int from, int to)
    {
        if (_first)
        {
            _first = false;
            // A UTF-8 byte order mark is not part of the first record.
            if (to - from >= 3 && _buffer[from] == 0xEF && _buffer[from + 1] == 0xBB && _buffer[from + 2] == 0xBF) from += 3;
        }
        if (to > from && _buffer[to - 1] == (byte)'\r') to--;
        return _buffer.AsMemory(from, to - from);
    }

    // Throws away the current line's bytes up to and including its newline, a buffer at a time.
    private void SkipRestOfLine()
    {
        _first = false;
        while (true)
        {
            var newline = _buffer.AsSpan(_pos, _end - _pos).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                _pos += newline + 1;
                return;
            }
            _bufferOffset += _end;
            _pos = 0;
            _end = 0;
            if (_eof) return;
            var read = _stream.Read(_buffer, 0, _buffer.Length);
            if (read == 0) _eof = true;
            else _end = read;
        }
    }

    // Moves unread bytes to the front, grows the buffer up to the line limit, reads more; returns how far bytes moved.
    private int Fill()
    {
        var shift = _pos;
        if (shift > 0)
        {
            Buffer.BlockCopy(_buffer, _pos, _buffer, 0, _end - _pos);
            _end -= _pos;
            _bufferOffset += _pos;
            _pos = 0;
        }
        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Min(_buffer.Length * 2, _maxLineBytes + 1 + 64 * 1024));
        }
        var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0) _eof = true;
        else _end += read;
        return shift;
    }
}
