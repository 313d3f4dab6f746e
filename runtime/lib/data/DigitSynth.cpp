//===- DigitSynth.cpp - Speech synthesis with espeak-ng -------------------===//
//
// libespeak-ng in AUDIO_OUTPUT_SYNCHRONOUS mode: espeak_Synth returns once
// the text is spoken, having handed the samples to a callback.
//
// espeak-ng carries state from one utterance to the next (the same word with
// the same voice comes out a few samples longer or shorter, with a different
// waveform, depending on what was spoken before), and it cannot be
// re-initialised within a process (espeak_Terminate + espeak_Initialize hangs
// in 1.51). A sample would then depend on every sample synthesised before it.
// So no snnc process speaks itself: a small "speech server" process,
// forked early, initialises espeak-ng once and for each request forks a
// short-lived child that speaks from that pristine state and writes the
// samples back. The server is forked while the caller is still small, which
// keeps each per-utterance fork cheap (forking the caller itself, with the
// dataset in memory, cost about 8 ms of system time per word). Several
// servers serve several threads at once.
//
//===----------------------------------------------------------------------===//

#include "snnrt/data/DigitSynth.h"

#include <espeak-ng/speak_lib.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

namespace snnrt {

namespace {

bool writeAll(int fd, const void *data, size_t n) {
  const char *p = static_cast<const char *>(data);
  while (n > 0) {
    ssize_t w = ::write(fd, p, n);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0)
      return false;
    p += w;
    n -= size_t(w);
  }
  return true;
}

/// Like writeAll on a socket, but a peer that died gives an error instead
/// of SIGPIPE (which would kill the caller).
bool sendAll(int fd, const void *data, size_t n) {
  const char *p = static_cast<const char *>(data);
  while (n > 0) {
    ssize_t w = ::send(fd, p, n, MSG_NOSIGNAL);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0)
      return false;
    p += w;
    n -= size_t(w);
  }
  return true;
}

bool readAll(int fd, void *data, size_t n) {
  char *p = static_cast<char *>(data);
  while (n > 0) {
    ssize_t r = ::read(fd, p, n);
    if (r < 0 && errno == EINTR)
      continue;
    if (r <= 0)
      return false;
    p += r;
    n -= size_t(r);
  }
  return true;
}

bool sendString(int fd, const std::string &s) {
  uint32_t n = uint32_t(s.size());
  return sendAll(fd, &n, sizeof n) && sendAll(fd, s.data(), n);
}

bool readString(int fd, std::string &s) {
  uint32_t n = 0;
  if (!readAll(fd, &n, sizeof n) || n > (1u << 20))
    return false;
  s.resize(n);
  return readAll(fd, &s[0], n);
}

// Reply codes from the speaking child.
constexpr int32_t kOk = 0, kNoVoice = 1, kSynthFailed = 2, kNoInit = 3,
                  kCrashed = 4;

/// Samples of the utterance being spoken (in the speaking child only).
std::vector<short> *gSink = nullptr;

int collect(short *wav, int n, espeak_EVENT *) {
  if (wav && n > 0 && gSink)
    gSink->insert(gSink->end(), wav, wav + n);
  return 0; // 0: continue synthesis
}

/// In the speaking child: speak, reply "status, rate, count, samples", exit.
[[noreturn]] void speak(int out, int rate, const std::string &text,
                        const VoiceSettings &s) {
  int32_t status = kOk;
  std::vector<short> samples;
  if (rate <= 0) {
    status = kNoInit;
  } else if (espeak_SetVoiceByName(s.voice.c_str()) != EE_OK) {
    status = kNoVoice;
  } else {
    espeak_SetParameter(espeakRATE, s.rateWpm, 0);
    espeak_SetParameter(espeakPITCH, s.pitch, 0);
    espeak_SetParameter(espeakRANGE, s.pitchRange, 0);
    espeak_SetParameter(espeakVOLUME, 100, 0);
    // espeak-ng 1.51 draws part of some voices' sound (f2, f3, f5, victor)
    // from libc's rand(), whose state this child inherits from whatever the
    // server or its parent drew: seed it as a fresh process is seeded, so
    // those voices say a word the same way in every run.
    std::srand(1);
    gSink = &samples;
    if (espeak_Synth(text.c_str(), text.size() + 1, 0, POS_CHARACTER, 0,
                     espeakCHARS_UTF8, nullptr, nullptr) != EE_OK)
      status = kSynthFailed;
    gSink = nullptr;
  }
  int32_t r = rate;
  uint64_t count = samples.size();
  bool ok = writeAll(out, &status, sizeof status) &&
            writeAll(out, &r, sizeof r) && writeAll(out, &count, sizeof count) &&
            writeAll(out, samples.data(), samples.size() * sizeof(short));
  // _exit: no atexit handlers or static destructors of inherited state.
  _exit(ok ? 0 : 1);
}

/// Header of a reply: status, sample rate, sample count.
constexpr size_t kHeader = sizeof(int32_t) * 2 + sizeof(uint64_t);

std::string failureReply(int32_t status, int32_t rate) {
  std::string r(kHeader, '\0');
  uint64_t zero = 0;
  std::memcpy(&r[0], &status, 4);
  std::memcpy(&r[4], &rate, 4);
  std::memcpy(&r[8], &zero, 8);
  return r;
}

/// The server's loop: one request at a time, each spoken by a fresh child
/// whose reply is checked before it is forwarded, so a child that crashes
/// yields an error reply rather than a stalled or corrupt stream.
[[noreturn]] void serve(int sock, const std::string &language) {
  int rate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, nullptr,
                               espeakINITIALIZE_DONT_EXIT);
  if (rate > 0)
    espeak_SetSynthCallback(collect);
  // Loading the language's plain voice ("en", "de") once, here, leaves its
  // dictionary loaded in the state every child inherits, so children skip
  // the load (measured: 4.4 -> 1.3 ms of CPU per word). Loading a voice
  // does not change what is spoken later (checked by hashing output after
  // different voice histories); speaking and parameters do, and the server
  // does neither. A server never switches language: after switching
  // dictionaries back and forth, espeak-ng 1.51 children crashed on some
  // variants (de+adam).
  if (rate > 0 && !language.empty())
    espeak_SetVoiceByName(language.c_str());
  for (;;) {
    std::string text;
    VoiceSettings s;
    int32_t params[3];
    if (!readString(sock, text) || !readString(sock, s.voice) ||
        !readAll(sock, params, sizeof params))
      _exit(0); // the client went away
    s.rateWpm = params[0];
    s.pitch = params[1];
    s.pitchRange = params[2];
    int p[2];
    if (pipe(p) != 0) {
      std::string r = failureReply(kSynthFailed, rate);
      sendAll(sock, r.data(), r.size());
      continue;
    }
    pid_t pid = fork();
    if (pid == 0) {
      close(p[0]);
      close(sock);
      speak(p[1], rate, text, s);
    }
    close(p[1]);
    std::string reply;
    char buf[1 << 16];
    for (ssize_t r; pid > 0;) {
      r = ::read(p[0], buf, sizeof buf);
      if (r < 0 && errno == EINTR)
        continue;
      if (r <= 0)
        break;
      reply.append(buf, size_t(r));
    }
    close(p[0]);
    int ws = 0;
    while (pid > 0 && waitpid(pid, &ws, 0) < 0 && errno == EINTR) {
    }
    uint64_t count = 0;
    if (reply.size() >= kHeader)
      std::memcpy(&count, &reply[8], 8);
    if (pid < 0 || !WIFEXITED(ws) || WEXITSTATUS(ws) != 0 ||
        reply.size() < kHeader ||
        reply.size() != kHeader + count * sizeof(short))
      reply = failureReply(WIFSIGNALED(ws) ? kCrashed : kSynthFailed, rate);
    if (!sendAll(sock, reply.data(), reply.size()))
      _exit(0);
  }
}

struct Server {
  std::string language; ///< requests it serves, e.g. "en"
  pid_t pid = -1;
  int sock = -1; ///< our end of the socket pair
  std::mutex busy;
  ~Server() {
    if (sock >= 0)
      close(sock); // the server sees EOF and exits
    if (pid > 0) {
      int ws;
      waitpid(pid, &ws, 0);
    }
  }
};

std::mutex gServersMutex;
std::vector<std::unique_ptr<Server>> gServers;

Status startServer(const std::string &language,
                   std::unique_ptr<Server> &out) {
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0)
    return Status::error("speech synthesis: cannot create a socket pair",
                         ErrorKind::Io);
  pid_t pid = fork();
  if (pid < 0) {
    close(sv[0]);
    close(sv[1]);
    return Status::error("speech synthesis: cannot fork", ErrorKind::Io);
  }
  if (pid == 0) {
    close(sv[0]);
    // Drop inherited ends of other servers' sockets so that they see EOF
    // when their client closes them.
    for (auto &s : gServers)
      close(s->sock);
    serve(sv[1], language);
  }
  close(sv[1]);
  out = std::make_unique<Server>();
  out->language = language;
  out->pid = pid;
  out->sock = sv[0];
  return Status::ok();
}

} // namespace

/// Language of an espeak voice name: "en-gb-x-rp+m3" -> "en".
std::string languageOf(const std::string &voice) {
  return voice.substr(0, voice.find_first_of("-+"));
}

size_t serversFor(const std::string &language) {
  size_t n = 0;
  for (auto &sv : gServers)
    n += sv->language == language;
  return n;
}

Status startSpeechServers(unsigned perLanguage,
                          const std::vector<std::string> &languages) {
  std::lock_guard<std::mutex> lock(gServersMutex);
  for (const auto &lang : languages)
    while (serversFor(lang) < std::max(1u, perLanguage)) {
      std::unique_ptr<Server> s;
      SNNRT_TRY(startServer(lang, s));
      gServers.push_back(std::move(s));
    }
  return Status::ok();
}

Expected<AudioClip> synthesiseSpeech(const std::string &text,
                                     const VoiceSettings &s) {
  const std::string language = languageOf(s.voice);
  // Take an idle server of the language, or wait for the first one.
  Server *server = nullptr;
  std::unique_lock<std::mutex> hold;
  {
    std::lock_guard<std::mutex> lock(gServersMutex);
    if (serversFor(language) == 0) {
      std::unique_ptr<Server> sv;
      SNNRT_TRY(startServer(language, sv));
      gServers.push_back(std::move(sv));
    }
    for (auto &sv : gServers) {
      if (sv->language != language)
        continue;
      std::unique_lock<std::mutex> l(sv->busy, std::try_to_lock);
      if (l.owns_lock()) {
        server = sv.get();
        hold = std::move(l);
        break;
      }
      if (!server)
        server = sv.get();
    }
  }
  if (!hold.owns_lock())
    hold = std::unique_lock<std::mutex>(server->busy);

  int32_t params[3] = {s.rateWpm, s.pitch, s.pitchRange};
  if (!sendString(server->sock, text) || !sendString(server->sock, s.voice) ||
      !sendAll(server->sock, params, sizeof params))
    return Status::error("speech synthesis: the espeak-ng server is gone",
                         ErrorKind::Internal);
  int32_t status = -1, rate = 0;
  uint64_t count = 0;
  if (!readAll(server->sock, &status, sizeof status) ||
      !readAll(server->sock, &rate, sizeof rate) ||
      !readAll(server->sock, &count, sizeof count) || count > (1u << 28))
    return Status::error("speech synthesis: no reply from espeak-ng",
                         ErrorKind::Internal);
  std::vector<short> samples(count);
  if (!readAll(server->sock, samples.data(), count * sizeof(short)))
    return Status::error("speech synthesis: truncated reply from espeak-ng",
                         ErrorKind::Internal);
  if (status == kNoInit)
    return Status::error("espeak-ng could not be initialised (is the "
                         "espeak-ng-data package installed?)",
                         ErrorKind::Io);
  if (status == kNoVoice)
    return Status::error("espeak-ng has no voice '" + s.voice + "'");
  if (status == kCrashed)
    return Status::error("espeak-ng crashed speaking '" + text + "' with '" +
                             s.voice + "'",
                         ErrorKind::Internal);
  if (status != kOk)
    return Status::error("espeak-ng failed to speak '" + text + "' with '" +
                             s.voice + "'",
                         ErrorKind::Internal);
  if (count == 0)
    return Status::error("espeak-ng produced no audio for '" + text +
                             "' with '" + s.voice + "'",
                         ErrorKind::Internal);
  AudioClip clip;
  clip.sampleRate = rate;
  clip.samples.resize(count);
  for (size_t i = 0; i < count; ++i)
    clip.samples[i] = samples[i] / 32768.0f;
  return clip;
}

} // namespace snnrt
