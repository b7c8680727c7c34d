// nba command-line tool: a progress bar on standard error for long runs — only when standard
// error is a terminal, so pipes, logs and CI output stay clean.
#ifndef NBA_TOOL_PROGRESS_HPP
#define NBA_TOOL_PROGRESS_HPP

#include <chrono>
#include <cstddef>
#include <cstdio>

#if defined(_WIN32)
#include <io.h>
#define NBA_CLI_ISATTY(fd) _isatty(fd)
#else
#include <unistd.h>
#define NBA_CLI_ISATTY(fd) isatty(fd)
#endif

namespace nba_cli {

class progress_bar {
public:
    /// A bar for `total` steps of `what` ("rows"); silent when stderr is not a terminal.
    progress_bar(std::size_t total, const char* what) noexcept
        : total_(total), what_(what), enabled_(NBA_CLI_ISATTY(2) != 0 && total > 0) {}
    progress_bar(const progress_bar&) = delete;
    progress_bar& operator=(const progress_bar&) = delete;
    ~progress_bar() { finish(); }

    /// Cheap to call every step: redraws at most ten times a second.
    void update(std::size_t done) noexcept {
        if (!enabled_ || (done & 0xFF) != 0) return;
        const auto now = std::chrono::steady_clock::now();
        if (now - last_ < std::chrono::milliseconds(100)) return;
        last_ = now;
        draw(done);
        drawn_ = true;
    }
    /// Draws the full bar and ends its line (only if a bar was drawn at all).
    void finish() noexcept {
        if (!enabled_ || !drawn_) return;
        draw(total_);
        std::fputc('\n', stderr);
        std::fflush(stderr);
        drawn_ = false;
        enabled_ = false;
    }

private:
    void draw(std::size_t done) const noexcept {
        constexpr int width = 30;
        const double share = static_cast<double>(done) / static_cast<double>(total_);
        const int filled = static_cast<int>(share * width);
        char bar[width + 1];
        for (int i = 0; i < width; ++i) bar[i] = i < filled ? '#' : '.';
        bar[width] = '\0';
        std::fprintf(stderr, "\r[%s] %3d%%  %zu/%zu %s", bar, static_cast<int>(share * 100.0), done, total_, what_);
        std::fflush(stderr);
    }

    std::size_t total_;
    const char* what_;
    bool enabled_;
    bool drawn_ = false;
    std::chrono::steady_clock::time_point last_{}; // the epoch: the first update draws
};

} // namespace nba_cli

#endif
