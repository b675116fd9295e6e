namespace GovernanceDashboard.Importers;

/// <summary>Reads one JSON document from a stream token by token over a refilled buffer, and captures single values
/// (array elements) as small <see cref="JsonDocument"/>s, so that a file of any size goes through in bounded memory.</summary>
internal sealed class JsonStream
{
    /// <summary>A record (array element) larger than this is rejected alone, like an over-long JSON line.</summary>
    internal const int MaxRecordBytes = 1024 * 1024;

    /// <summary>The reader needs a whole token in memory; one bigger than this rejects the file rather than the memory.</summary>
    internal const int MaxTokenBytes = 32 * 1024 * 1024;

    private const int InitialBufferSize = 64 * 1024;
    private const int MaxDepth = 256;

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = MaxDepth };

    private readonly Stream _stream;
    private readonly string _format;
    private byte[] _buffer;
    private int _pos;
    private int _end;
    private bool _final;
    private JsonReaderState _state;
    private long _line = 1;
    private long _bufferOffset;
    private int _keepFrom = -1;
    private int _tokenStart;

    // Lines skipped before the reader saw its first byte; the reader's own positions do not include them.
    private long _skippedLines;

    /// <param name="multipleValues">accept several top-level values one after the other (<c>[…][…]</c>, as
    /// <c>gh api --paginate</c> writes pages); each starts again at depth 0, and <see cref="Read"/> is false after the last.</param>
    public JsonStream(Stream stream, string format, int initialBufferSize = InitialBufferSize, bool multipleValues = false)
    {
        _stream = stream;
        _format = format;
        _buffer = new byte[Math.Max(16, initialBufferSize)];
        _state = new JsonReaderState(new JsonReaderOptions { MaxDepth = MaxDepth, AllowMultipleValues = multipleValues });
    }

    public JsonTokenType TokenType { get; private set; }

    /// <summary>Nesting depth of the current token: 0 for the root value's start.</summary>
    public int Depth { get; private set; }

    /// <summary>1-based line on which the current token starts.</summary>
    public long TokenLine { get; private set; }

    /// <summary>0-based byte offset in the stream at which the current token starts.</summary>
    public long TokenOffset { get; private set; }

    /// <summary>The current property name or string value (decoded), else null.</summary>
    public string? StringValue { get; private set; }

    /// <summary>Skips a UTF-8 byte order mark and leading whitespace; throws when the stream holds nothing else.</summary>
    public void RequireContent(string expected)
    {
        while (_end - _pos < 3 && !_final) Refill();
        if (_end - _pos >= 3 && _buffer[_pos] == 0xEF && _buffer[_pos + 1] == 0xBB && _buffer[_pos + 2] == 0xBF) _pos += 3;
        while (true)
        {
            while (_pos < _end && IsWhitespace(_buffer[_pos]))
            {
                if (_buffer[_pos] == (byte)'\n') _skippedLines++;
                Advance(1);
            }
            if (_pos < _end) return;
            if (_final) throw new ImportRejectedException(_format, $"The file is empty; expected {expected}.", 1, 0);
            Refill();
        }
    }

    /// <summary>Moves to the next token; false at the end of the document.</summary>
    public bool Read()
    {
        while (true)
        {
            if (TryReadToken(out var ok)) return ok;
            Refill();
        }
    }

    // One attempt over the bytes in hand; false when more are needed.
    private bool TryReadToken(out bool ok)
    {
        var reader = new Utf8JsonReader(_buffer.AsSpan(_pos, _end - _pos), _final, _state);
        try
        {
            if (!reader.Read())
            {
                ok = false;
                return _final;
            }
        }
        catch (JsonException ex)
        {
            throw Malformed(ex);
        }

        _tokenStart = _pos + (int)reader.TokenStartIndex;
        TokenLine = _line + CountNewlines(_pos, _tokenStart);
        TokenOffset = _bufferOffset + _tokenStart;
        TokenType = reader.TokenType;
        Depth = reader.CurrentDepth;
        StringValue = null;
        if (TokenType is JsonTokenType.PropertyName or JsonTokenType.String)
        {
            try
            {
                StringValue = reader.GetString();
            }
            catch (InvalidOperationException)
            {
                throw new ImportRejectedException(_format,
                    $"The file is not valid UTF-8 text at line {TokenLine} (byte {TokenOffset}); expected {ImportFormats.Describe(_format)}.",
                    TokenLine, TokenOffset);
            }
        }
        _state = reader.CurrentState;
        Advance((int)reader.BytesConsumed);
        ok = true;
        return true;
    }

    /// <summary>Skips the value whose start token was just read (no-op for a primitive).</summary>
    public void Skip()
    {
        if (TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray) WalkToEndOfValue(Depth, keep: false, maxBytes: 0);
    }

    /// <summary>Captures the object or array whose start token was just read. Returns null with a reason when it is too
    /// large or not parseable on its own; the caller owns (and must dispose) the document before the next read.</summary>
    public JsonDocument? Capture(out string? rejectReason, int maxBytes = MaxRecordBytes)
    {
        rejectReason = null;
        if (TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
        {
            rejectReason = "not a JSON object";
            return null;
        }

        var start = _tokenStart;
        _keepFrom = start;
        var kept = WalkToEndOfValue(Depth, keep: true, maxBytes: maxBytes);
        var from = _keepFrom;
        _keepFrom = -1;
        if (!kept)
        {
            rejectReason = $"record larger than {maxBytes / (1024 * 1024)} MiB";
            return null;
        }

        try
        {
            // The document is read before the buffer moves on (the caller maps it, then disposes it).
            return JsonDocument.Parse(_buffer.AsMemory(from, _pos - from), DocumentOptions);
        }
        catch (JsonException)
        {
            rejectReason = "record is not valid JSON";
            return null;
        }
    }

    // Reads tokens until the value that started at startDepth ends. With keep, the bytes from _keepFrom stay in the
    // buffer unless they pass maxBytes, in which case they are let go and false is returned.
    private bool WalkToEndOfValue(int startDepth, bool keep, int maxBytes)
    {
        var keeping = keep;
        while (true)
        {
            var done = WalkSegment(startDepth);
            if (done) return keeping && _pos - _keepFrom <= maxBytes;
            if (keeping && _pos - _keepFrom > maxBytes)
            {
                keeping = false;
                _keepFrom = -1;
            }
            Refill();
        }
    }

    private bool WalkSegment(int startDepth)
    {
        var reader = new Utf8JsonReader(_buffer.AsSpan(_pos, _end - _pos), _final, _state);
        var done = false;
        try
        {
            while (reader.Read())
            {
                if (reader.CurrentDepth == startDepth && reader.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray)
                {
                    done = true;
                    break;
                }
            }
        }
        catch (JsonException ex)
        {
            throw Malformed(ex);
        }
        _state = reader.CurrentState;
        Advance((int)reader.BytesConsumed);
        if (!done && _final)
        {
            // The reader throws on a truncated final block; this is a guard, not an expected path.
            throw new ImportRejectedException(_format,
                $"The JSON ends before the value that starts at line {TokenLine} is closed: the file is truncated; expected {ImportFormats.Describe(_format)}.",
                _line, _bufferOffset + _pos);
        }
        return done;
    }

    private void Refill()
    {
        var keep = _keepFrom >= 0 ? Math.Min(_keepFrom, _pos) : _pos;
        if (keep > 0)
        {
            Buffer.BlockCopy(_buffer, keep, _buffer, 0, _end - keep);
            _end -= keep;
            _pos -= keep;
            _tokenStart -= keep;
            if (_keepFrom >= 0) _keepFrom -= keep;
            _bufferOffset += keep;
        }

        if (_end == _buffer.Length)
        {
            if (_buffer.Length >= MaxTokenBytes)
            {
                throw new ImportRejectedException(_format,
                    $"A single JSON value starting near line {_line} (byte {_bufferOffset + _pos}) is larger than {MaxTokenBytes / (1024 * 1024)} MiB; expected {ImportFormats.Describe(_format)}.",
                    _line, _bufferOffset + _pos);
            }
            Array.Resize(ref _buffer, Math.Min(_buffer.Length * 2, MaxTokenBytes));
        }

        var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0) _final = true;
        else _end += read;
    }

    private ImportRejectedException Malformed(JsonException ex)
    {
        // JsonReaderState carries the line count across buffers, so the exception's position is the file's.
        var line = (ex.LineNumber ?? (_line - 1)) + 1 + _skippedLines;
        var column = (ex.BytePositionInLine ?? 0) + 1;
        return new ImportRejectedException(_format,
            $"Not valid JSON at line {line}, byte {column} of that line (malformed, or the file is truncated); expected {ImportFormats.Describe(_format)}.",
            line, null);
    }

    private void Advance(int count)
    {
        _line += CountNewlines(_pos, _pos + count);
        _pos += count;
    }

    private int CountNewlines(int from, int to) => from >= to ? 0 : _buffer.AsSpan(from, to - from).Count((byte)'\n');

    private static bool IsWhitespace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n';
}
