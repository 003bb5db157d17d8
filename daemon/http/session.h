// daemon/http/session.h
//
// One HTTP connection. Reads requests with a fresh parser each (header and
// body limits), answers them through the router in order, one at a time
// (a pipelined request waits in the buffer until the response before it is
// written, as nginx does; never more than pipeline_limit queued), and sets
// a deadline before every read and write: header_timeout for a new
// connection's first request and for the rest of any request once
// started, idle_timeout for the first byte of a later request on a
// keep-alive connection (counted from when the last response was written,
// so a slow download is never cut by it, nor evicted as idle),
// write_timeout for each write of a response. Parse errors get 400/413/431 and a lingering close;
// so does a folded header line (obs-fold), which Beast would join.
// An idle connection holds only a small read buffer.
//
// The session is a template on its stream so that tests can run it on
// beast::test::stream. A Stream is a Beast AsyncReadStream and
// AsyncWriteStream with get_executor(), expires_after(duration) (a
// deadline for the pending operation, which then fails) and cancel(), for
// which ShutdownSend(stream, ec) and CloseStream(stream, ec) exist (a
// half-close, and a full one). The server's sessions are Session, on
// beast::tcp_stream; the member definitions are in session_impl.h.
//
// Thread safety: every member runs on the connection's strand.

#ifndef FEEDD_DAEMON_HTTP_SESSION_H_
#define FEEDD_DAEMON_HTTP_SESSION_H_

#include <array>
#include <atomic>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <deque>
#include <memory>
#include <optional>

#include "daemon/http/router.h"

namespace feedd::http {

struct ServerState;
struct ServerLimits;

template <class Stream>
class BasicSession : public std::enable_shared_from_this<BasicSession<Stream>> {
 public:
  /// |address| was admitted by state->Admit(); the session releases it.
  /// |limits| hold for the whole connection, across reloads.
  BasicSession(Stream stream, std::shared_ptr<ServerState> state,
               std::shared_ptr<const ServerLimits> limits, std::string address);
  ~BasicSession();

  void Run();
  /// Finish what is in flight, then close (posted onto the strand).
  void Drain();
  /// If idle between requests, closes it (posted onto the strand) and
  /// returns true; false when it is busy (or already being closed).
  bool Evict();

  /// Whether it waits for a keep-alive client's next request, and since
  /// when (steady clock, ns). Read from any thread.
  bool idle() const { return idle_.load(); }
  std::int64_t idle_since() const { return idle_since_.load(); }

 private:
  void WaitForRequest();
  void OnFirstBytes(boost::beast::error_code ec, std::size_t bytes);
  void ReadRequest();
  void ReadHeader();
  void OnHeaderBytes(boost::beast::error_code ec, std::size_t bytes);
  void OnRead(boost::beast::error_code ec, std::size_t bytes);
  void Queue(Reply reply);
  /// Counts a request answered with |reply| in the metrics, and writes
  /// its access-log line when asked to. |request| is null when none could
  /// be read.
  void Count(const Request* request, const Reply& reply, UnixTime now);
  void DoWrite();
  void WriteSome();
  void OnWriteSome(boost::beast::error_code ec, std::size_t bytes);
  void OnWrite(boost::beast::error_code ec, std::size_t bytes);
  void LingeringClose();
  void OnLinger(boost::beast::error_code ec, std::size_t bytes);

  Stream stream_;
  boost::beast::flat_buffer buffer_;
  std::shared_ptr<ServerState> state_;
  std::shared_ptr<const ServerLimits> limits_;
  RequestContext context_;  ///< the client's address, the /metrics page
  std::optional<beast_http::request_parser<beast_http::string_body>> parser_;
  std::deque<Reply> queue_;
  std::string tail_;  ///< the raw reply being written: its Date/Connection lines
  /// The raw reply's bytes not yet written.
  std::optional<boost::beast::buffers_suffix<std::array<boost::asio::const_buffer, 3>>> unwritten_;
  bool reading_ = false;
  bool writing_ = false;
  bool closing_ = false;  ///< no more requests: the last reply closes
  std::size_t lingered_ = 0;
  std::string address_;  ///< the client's, as counted by ServerState::Admit()
  std::atomic<bool> idle_{false};
  std::atomic<std::int64_t> idle_since_{0};
  std::uint64_t requests_ = 0;      ///< requests read on this connection
  std::size_t header_scanned_ = 0;  ///< how far ReadHeader() has looked at the buffer
};

/// A connection the server accepted.
using Session = BasicSession<boost::beast::tcp_stream>;
extern template class BasicSession<boost::beast::tcp_stream>;

/// The TCP stream's half-close (FIN) and close.
void ShutdownSend(boost::beast::tcp_stream& stream, boost::beast::error_code& ec);
void CloseStream(boost::beast::tcp_stream& stream, boost::beast::error_code& ec);

}  // namespace feedd::http

#endif  // FEEDD_DAEMON_HTTP_SESSION_H_
