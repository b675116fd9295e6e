namespace GovernanceDashboard.Importers;

/// <summary>A read-only stream that first gives back bytes already taken from a non-seekable stream, then the rest of it.</summary>
internal sealed class ReplayStream(byte[] head, int headLength, Stream rest) : Stream
{
    private readonly byte[] _head = head;
    private readonly int _headLength = headLength;
    private readonly Stream _rest = rest;
    private int _headPosition;
    private long _position;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int read;
        if (_headPosition < _headLength)
        {
            read = Math.Min(buffer.Length, _headLength - _headPosition);
            _head.AsSpan(_headPosition, read).CopyTo(buffer);
            _headPosition += read;
        }
        else
        {
            read = _rest.Read(buffer);
        }
        _position += read;
        return read;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
