// daemon/http/session_impl.h
//
// The member definitions of BasicSession (session.h), for the files that
// instantiate it: session.cc for the server's TCP sessions, and the tests
// for sessions on beast::test::stream.

#ifndef FEEDD_DAEMON_HTTP_SESSION_IMPL_H_
#define FEEDD_DAEMON_HTTP_SESSION_IMPL_H_

#include <algorithm>
#include <array>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <ctime>
#include <string_view>

#include "daemon/base/log.h"
#include "daemon/http/access_log.h"
#include "daemon/http/server_state.h"
#include "daemon/http/session.h"

namespace feedd::http {

namespace beast = boost::beast;
namespace net = boost::asio;

namespace session_detail {

// The most a request body may be: feeds take no bodies, so anything large
// is an abuse (413).
constexpr std::uint64_t kMaxBody = 1024;
// Lingering close: read and discard at most this much before closing.
constexpr std::size_t kMaxLinger = 64 * 1024;
// The first read of a request: most requests fit; larger ones grow the buffer.
constexpr std::size_t kFirstRead = 1024;

inline UnixTime Now() { return static_cast<UnixTime>(std::time(nullptr)); }

enum class HeaderScan { kIncomplete, kComplete, kFolded };

// Looks at the start of a request in |bytes| for a folded header line
// (obs-fold: a line break followed by a space or tab before the header's
// end). Beast joins folded lines into one value; RFC 9112 (5.2) says a
// server must reject them or replace them, and feedd rejects them, as
// nginx does. kComplete once the header's end is in view, or once |limit|
// bytes are (the parser then reports the header too large). |from| is
// where to go on from as more bytes arrive (0 at first), so a header sent
// a byte at a time is still looked at once.
inline HeaderScan ScanHeader(std::string_view bytes, std::size_t limit, std::size_t* from) {
  for (std::size_t at = *from;;) {
    const std::size_t eol = bytes.find("\r\n", at);
    if (eol == std::string_view::npos) {
      *from = bytes.empty() ? 0 : std::max(at, bytes.size() - 1);  // a '\r' may end it
      break;
    }
    if (eol + 2 >= bytes.size()) {  // what follows the line break is not here yet
      *from = eol;
      break;
    }
    const char next = bytes[eol + 2];
    if (next == ' ' || next == '\t') return HeaderScan::kFolded;
    if (next == '\r') return HeaderScan::kComplete;  // the empty line that ends the header
    at = eol + 2;
  }
  return bytes.size() >= limit ? HeaderScan::kComplete : HeaderScan::kIncomplete;
}

}  // namespace session_detail

template <class Stream>
BasicSession<Stream>::BasicSession(Stream stream, std::shared_ptr<ServerState> state,
                                   std::shared_ptr<const ServerLimits> limits, std::string address)
    : stream_(std::move(stream)),
      buffer_(limits->max_header_bytes + session_detail::kMaxBody),
      state_(std::move(state)),
      limits_(std::move(limits)),
      address_(std::move(address)) {
  state_->connections.fetch_add(1);
  if (state_->metrics) state_->metrics->CountConnection();
  if (auto peer = ParseIpAddress(address_)) context_.peer = *peer;
  context_.metrics = state_->metrics_page;
  context_.header_blocks = &state_->header_blocks;
  context_.pollers = &state_->pollers;
  context_.address = address_;
}

template <class Stream>
BasicSession<Stream>::~BasicSession() {
  state_->Release(address_);
  state_->connections.fetch_sub(1);
}

template <class Stream>
bool BasicSession<Stream>::Evict() {
  if (!idle_.exchange(false)) return false;  // claimed once, by one evictor
  net::post(stream_.get_executor(), [self = this->shared_from_this()] {
    self->closing_ = true;
    self->stream_.cancel();
  });
  return true;
}

template <class Stream>
void BasicSession<Stream>::Run() {
  // Enter the strand before touching the stream.
  net::dispatch(stream_.get_executor(),
                beast::bind_front_handler(&BasicSession::WaitForRequest, this->shared_from_this()));
}

template <class Stream>
void BasicSession<Stream>::Drain() {
  net::post(stream_.get_executor(), [self = this->shared_from_this()] {
    self->closing_ = true;
    // An idle connection closes now; one with work finishes it first.
    if (!self->writing_ && self->queue_.empty()) self->stream_.cancel();
  });
}

template <class Stream>
void BasicSession<Stream>::WaitForRequest() {
  if (closing_ || state_->draining.load()) {
    closing_ = true;
    if (queue_.empty() && !writing_) LingeringClose();
    return;
  }
  // A response is being written: the next request is read once it is out
  // (OnWrite), so no read deadline (idle_timeout, header_timeout) runs
  // beside a slow download and cuts it short (a read that times out closes
  // the stream), and a connection busy with a response is never evicted as
  // idle. Pipelined requests wait in the buffer meanwhile.
  if (writing_ || !queue_.empty()) return;
  reading_ = true;
  if (buffer_.size() > 0) {  // pipelined bytes are already here
    ReadRequest();
    return;
  }
  // Idle keep-alive: wait for the first byte of the next request. An idle
  // connection keeps no more than a small buffer (thousands may idle).
  buffer_.shrink_to_fit();
  // A new connection must start its request as promptly as a started one
  // must finish its header: silent connections cannot hold a slot for long.
  stream_.expires_after(requests_ == 0 ? limits_->header_timeout : limits_->idle_timeout);
  if (requests_ > 0) {
    idle_since_.store(std::chrono::steady_clock::now().time_since_epoch().count());
    idle_.store(true);
  }
  stream_.async_read_some(
      buffer_.prepare(std::min<std::size_t>(session_detail::kFirstRead, buffer_.max_size())),
      beast::bind_front_handler(&BasicSession::OnFirstBytes, this->shared_from_this()));
}

template <class Stream>
void BasicSession<Stream>::OnFirstBytes(beast::error_code ec, std::size_t bytes) {
  idle_.store(false);
  if (ec) {
    reading_ = false;
    if (queue_.empty() && !writing_) CloseStream(stream_, ec);
    return;
  }
  buffer_.commit(bytes);
  ReadRequest();
}

template <class Stream>
void BasicSession<Stream>::ReadRequest() {
  // A fresh parser per request, with the limits that keep abuse cheap.
  parser_.emplace();
  parser_->header_limit(static_cast<std::uint32_t>(limits_->max_header_bytes));
  parser_->body_limit(session_detail::kMaxBody);
  stream_.expires_after(limits_->header_timeout);
  header_scanned_ = 0;
  ReadHeader();
}

template <class Stream>
void BasicSession<Stream>::ReadHeader() {
  // The header is looked at as it arrives, before Beast parses it, for
  // what Beast lets through; the deadline set in ReadRequest() covers it.
  const auto bytes = buffer_.data();
  const std::size_t limit = std::min<std::size_t>(limits_->max_header_bytes, buffer_.max_size());
  switch (session_detail::ScanHeader(
      std::string_view(static_cast<const char*>(bytes.data()), bytes.size()), limit,
      &header_scanned_)) {
    case session_detail::HeaderScan::kFolded: {
      reading_ = false;
      closing_ = true;
      const UnixTime now = session_detail::Now();
      Reply reply = ErrorReply(beast_http::status::bad_request, 11,
                               "a folded header line (obs-fold, RFC 9112 5.2)", now);
      Count(nullptr, reply, now);
      Queue(std::move(reply));
      return;
    }
    case session_detail::HeaderScan::kIncomplete:
      stream_.async_read_some(
          buffer_.prepare(std::min<std::size_t>(4096, limit - buffer_.size())),
          beast::bind_front_handler(&BasicSession::OnHeaderBytes, this->shared_from_this()));
      return;
    case session_detail::HeaderScan::kComplete:
      beast_http::async_read(
          stream_, buffer_, *parser_,
          beast::bind_front_handler(&BasicSession::OnRead, this->shared_from_this()));
      return;
  }
}

template <class Stream>
void BasicSession<Stream>::OnHeaderBytes(beast::error_code ec, std::size_t bytes) {
  if (ec) {
    // The peer went, or the deadline passed, mid-header: as a parse would end.
    OnRead(ec == net::error::eof && buffer_.size() > 0 ? beast_http::error::partial_message : ec,
           0);
    return;
  }
  buffer_.commit(bytes);
  ReadHeader();
}

template <class Stream>
void BasicSession<Stream>::OnRead(beast::error_code ec, std::size_t) {
  reading_ = false;
  if (ec == beast_http::error::end_of_stream || ec == net::error::operation_aborted ||
      ec == beast::error::timeout || ec == net::error::connection_reset || ec == net::error::eof) {
    closing_ = true;
    if (queue_.empty() && !writing_) LingeringClose();
    return;
  }
  const UnixTime now = session_detail::Now();
  if (ec) {
    beast_http::status status = beast_http::status::bad_request;
    if (ec == beast_http::error::header_limit || ec == beast_http::error::buffer_overflow) {
      status = beast_http::status::request_header_fields_too_large;
    } else if (ec == beast_http::error::body_limit) {
      status = beast_http::status::payload_too_large;
    }
    closing_ = true;
    Reply reply = ErrorReply(status, 11, ec.message(), now);
    Count(nullptr, reply, now);
    Queue(std::move(reply));
    return;
  }
  ++requests_;
  const Request& request = parser_->get();
  Reply reply = Route(request, state_->snapshots->Current(), limits_->router, now, &context_);
  Count(&request, reply, now);
  if (state_->draining.load() || closing_) reply.SetClose();
  if (!reply.keep_alive()) closing_ = true;
  Queue(std::move(reply));
  // Keep reading pipelined requests while the queue has room.
  if (!closing_ && queue_.size() < limits_->pipeline_limit) WaitForRequest();
}

template <class Stream>
void BasicSession<Stream>::Queue(Reply reply) {
  queue_.push_back(std::move(reply));
  DoWrite();
}

template <class Stream>
void BasicSession<Stream>::DoWrite() {
  if (writing_ || queue_.empty()) return;
  writing_ = true;
  stream_.expires_after(limits_->write_timeout);
  const Reply& reply = queue_.front();
  if (reply.raw) {
    // Precomputed bytes, written as they are: no header formatting here.
    tail_ = reply.Tail();
    unwritten_.emplace(std::array<net::const_buffer, 3>{
        net::buffer(reply.head.data(), reply.head.size()), net::buffer(tail_),
        net::buffer(reply.body.data(), reply.body.size())});
    WriteSome();
    return;
  }
  beast_http::async_write(
      stream_, reply.message,
      beast::bind_front_handler(&BasicSession::OnWrite, this->shared_from_this()));
}

template <class Stream>
void BasicSession<Stream>::WriteSome() {
  // The deadline is per write, not per response: a large feed to a slow but
  // steady reader is not cut off, a reader that stops is.
  stream_.expires_after(limits_->write_timeout);
  stream_.async_write_some(
      *unwritten_, beast::bind_front_handler(&BasicSession::OnWriteSome, this->shared_from_this()));
}

template <class Stream>
void BasicSession<Stream>::Count(const Request* request, const Reply& reply, UnixTime now) {
  const beast_http::verb method = request ? request->method() : beast_http::verb::unknown;
  if (state_->metrics) {
    state_->metrics->CountRequest(reply.route,
                                  method == beast_http::verb::get    ? "GET"
                                  : method == beast_http::verb::head ? "HEAD"
                                                                     : "other",
                                  reply.status());
    if (reply.poll_family >= 0) {
      state_->metrics->CountPoll(static_cast<std::size_t>(reply.poll_family),
                                 static_cast<std::size_t>(reply.poll_behaviour));
    }
  }
  if (!limits_->access_log || !LogEnabled(LogLevel::kInfo)) return;
  AccessRecord record;
  record.client = address_;
  record.time = now;
  record.status = reply.status();
  record.body_bytes = reply.raw ? reply.body.size() : reply.message.body().size();
  if (request) {
    auto field = [request](beast_http::field f) {
      auto it = request->find(f);
      return it == request->end() ? std::string_view()
                                  : std::string_view(it->value().data(), it->value().size());
    };
    record.method =
        std::string_view(request->method_string().data(), request->method_string().size());
    record.target = std::string_view(request->target().data(), request->target().size());
    record.version = request->version();
    record.referer = field(beast_http::field::referer);
    record.user_agent = field(beast_http::field::user_agent);
  }
  Log(LogLevel::kInfo, FormatAccessLine(record));
}

template <class Stream>
void BasicSession<Stream>::OnWriteSome(beast::error_code ec, std::size_t bytes) {
  if (state_->metrics) state_->metrics->CountBytesSent(bytes);
  if (!ec) {
    unwritten_->consume(bytes);
    if (beast::buffer_bytes(*unwritten_) > 0) {
      WriteSome();
      return;
    }
  }
  unwritten_.reset();
  OnWrite(ec, bytes);
}

template <class Stream>
void BasicSession<Stream>::OnWrite(beast::error_code ec, std::size_t bytes) {
  writing_ = false;
  // A raw reply's bytes were counted write by write.
  if (state_->metrics && !queue_.front().raw) state_->metrics->CountBytesSent(bytes);
  if (ec) {
    CloseStream(stream_, ec);
    return;
  }
  const bool close = !queue_.front().keep_alive();
  queue_.pop_front();
  if (close) {
    queue_.clear();
    LingeringClose();
    return;
  }
  if (!queue_.empty()) {
    DoWrite();
  } else if (closing_ && !reading_) {
    LingeringClose();
  } else if (!reading_) {
    WaitForRequest();
  }
}

template <class Stream>
void BasicSession<Stream>::LingeringClose() {
  // Send FIN, then read and drop what the client still sends for a moment,
  // so it reads our response instead of a reset (RFC 9112 §9.6).
  beast::error_code ec;
  ShutdownSend(stream_, ec);
  if (ec) {
    CloseStream(stream_, ec);
    return;
  }
  stream_.expires_after(std::chrono::seconds(2));
  buffer_.clear();
  stream_.async_read_some(
      buffer_.prepare(std::min<std::size_t>(4096, buffer_.max_size())),
      beast::bind_front_handler(&BasicSession::OnLinger, this->shared_from_this()));
}

template <class Stream>
void BasicSession<Stream>::OnLinger(beast::error_code ec, std::size_t bytes) {
  lingered_ += bytes;
  if (ec || lingered_ >= session_detail::kMaxLinger) {
    CloseStream(stream_, ec);
    return;
  }
  buffer_.clear();
  stream_.async_read_some(
      buffer_.prepare(std::min<std::size_t>(4096, buffer_.max_size())),
      beast::bind_front_handler(&BasicSession::OnLinger, this->shared_from_this()));
}

}  // namespace feedd::http

#endif  // FEEDD_DAEMON_HTTP_SESSION_IMPL_H_
