/* client.h -- the client's state (client_t), the scene interface and the runner that switches
 * scenes and routes messages; no SDL, on session.h, settings.h, input.h and the state_*.h of
 * each scene */
#ifndef NINE43_CLIENT_H
#define NINE43_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "input.h"
#include "proto.h"
#include "replays.h"
#include "session.h"
#include "settings.h"
#include "sfx_events.h"
#include "state_chatbox.h"
#include "state_connect.h"
#include "state_end.h"
#include "state_game.h"
#include "state_host.h"
#include "state_join.h"
#include "state_kick_dialog.h"
#include "state_lobby.h"
#include "state_menu.h"
#include "state_replays.h"
#include "state_settings.h"
#include "state_username.h"
#include "state_vote.h"

typedef enum scene_id {
    SCENE_MENU,
    SCENE_SETTINGS,
    SCENE_JOIN,
    SCENE_HOST,
    SCENE_CONNECT,
    SCENE_USERNAME,
    SCENE_LOBBY,
    SCENE_VOTE,
    SCENE_GAME,
    SCENE_END,
    SCENE_REPLAYS,  /* the saved rounds */
    SCENE_PLAYBACK, /* one of them played back */
    SCENE_COUNT
} scene_id_t;

typedef struct client client_t;

/* The "log in" features this client names, at log in and at a re-login after a drop: party (the
 * lobby's server view, Start now, kick and the server's last words), social (notices, the
 * evening's board, the group and chat from the other rooms), countdown (countdown_ms in "game
 * start"), watch (Watch a running group from the lobby, and how many watch yours), replay (each
 * round's replay file, kept in replays_dir). */
#define CLIENT_FEATURES                                                                            \
    (PROTO_FEATURE_PARTY | PROTO_FEATURE_SOCIAL | PROTO_FEATURE_COUNTDOWN | PROTO_FEATURE_WATCH |  \
     PROTO_FEATURE_REPLAY)

/* Sounds queued in one frame: a state's events (SFX_EVENTS_MAX) plus a few from input and the
 * clock; more in one frame are dropped (the mixer could not make them out anyway). */
#define CLIENT_SFX_QUEUE (SFX_EVENTS_MAX + 8)

/* The network as scenes see it. In the game these call net.c; in tests, a recorder. */
typedef struct client_net_ops {
    void (*connect)(client_t *c, const char *host, int port); /* async: see client_on_* */
    void (*send)(client_t *c, const msg_t *m);
    void (*close)(client_t *c);
} client_net_ops_t;

/* Starting and stopping the local server for "Host a game" (host.c; a fake in tests). */
typedef struct client_host_ops {
    /* Starts nine43-server; returns 0, or -1 with a message ("port 9999 is already in use"). */
    int (*start)(client_t *c, int port, int group_size, int round_seconds, char *err,
                 size_t errlen);
    /* if_alone (our login; NULL = stop it whoever is on): only if nobody else is logged in (the
     * server counts; it runs on for the others and ends once they have left). */
    void (*stop)(client_t *c, const char *if_alone);
    bool (*running)(client_t *c);
    /* Called every frame while starting. Returns 1 once the server listens (*port is its
     * port), 0 while it starts, -1 when it failed (err says why: "port 9999 is already in
     * use"). */
    int (*poll)(client_t *c, int *port, char *err, size_t errlen);
    /* Lets the server run on without us (for the players still on it); it ends by itself once
     * nobody is connected. */
    void (*detach)(client_t *c);
    /* Called every frame (client_update), never waiting: carries on what stop began (reads the
     * server's answer, ends one that did not accept after its grace, reaps). NULL = nothing. */
    void (*tick)(client_t *c);
} client_host_ops_t;

/* A scene: logic (enter, leave, input, message, update) changes state only from abstract
 * input and decoded messages; draw only reads it. Tests drive the logic without a window. */
typedef struct ui ui_t;
typedef struct scene {
    const char *name; /* "menu", "lobby", "select", "game", "fin": names the screenshot */
    void (*enter)(client_t *c);
    void (*leave)(client_t *c);
    void (*input)(client_t *c, const input_event_t *ev);
    void (*message)(client_t *c, const msg_t *m);
    void (*update)(client_t *c);         /* every frame, c->now_ms is current */
    bool (*ready)(const client_t *c);    /* fully drawn, for --screenshot-dir; NULL = at once */
    void (*draw)(client_t *c, ui_t *ui); /* SDL drawing; logic tests never call it */
} scene_t;

struct client {
    /* Settings and the command line. */
    settings_t settings;
    char settings_path[512];                /* "" = settings are not saved (tests) */
    char cli_username[PROTO_USERNAME_SIZE]; /* --username: submitted automatically */
    bool autoplay;
    int quit_after_rounds; /* 0 = never */
    /* The Join screen's LAN list and the datagram socket it probes through (SDL2_net:
     * lan_sdl_ops). main.c turns it on; scene tests leave it off (NULL) or force a loopback
     * address, so that no test broadcasts on a real network. */
    const struct lan_io_ops *lan_io;
    char discovery_addr[64]; /* --discovery-addr: probe only this IPv4 address ("" = every
                                interface's broadcast address) */
    int discovery_port;      /* the port probed; 0 = LAN_DEFAULT_PORT (9999) */
    /* The rounds' replays: kept here (replays.h; "" = not kept), the one arriving, the last
     * kept (or why it was not). */
    char replays_dir[CLIENT_REPLAY_PATH];
    replays_rx_t replay_rx;
    char replay_kept[CLIENT_REPLAY_PATH + 200];

    /* Platform and services: time, view and held controls, set by the platform layer before
     * each frame; the network and the local server behind their operations. */
    uint32_t now_ms;
    int view_w, view_h;
    held_input_t held;
    const client_net_ops_t *net;
    const client_host_ops_t *host_ops;
    void *net_data;  /* net.c's connection, or the test recorder */
    void *host_data; /* host.c's child process */

    /* The session with a server: address, name, link, roster, chat, hosting (session.c). */
    session_t session;

    /* The runner (client.c): which scene shows, and how the run ends. */
    const scene_t *const *scenes; /* SCENE_COUNT of them, given to client_init */
    scene_id_t scene;
    bool scene_shown; /* the scene has been drawn (ready) since entered */
    uint32_t scene_entered_ms;
    scene_id_t connect_back;      /* where Back leads from the connect screen */
    char notice[PROTO_TEXT_SIZE]; /* shown by the menu, e.g. why the connection was lost */
    char kept[PROTO_TEXT_SIZE]; /* shown by the menu too, not as an error: a server left running */
    int rounds_done;            /* fin messages received */
    bool quit;                  /* the run loop ends after this frame */
    int exit_code;

    /* Each scene's own state, written by that scene alone. */
    menu_t menu;
    settings_scene_t settings_scene;
    join_t join;
    host_t host;
    connect_t connect;
    username_t uname;
    lobby_t lobby;
    vote_t vote;
    game_t game;
    end_t end;
    chatbox_t chatbox;  /* chat over the vote, the round and the end screen (chatbox.c) */
    kick_dialog_t kick; /* the host's kick dialog over the lobby, the round and the end screen */
    replays_list_t replays;
    playback_t playback;

    /* Debug overlay (F2). */
    bool debug_overlay;
    float fps;

    /* The host leaves while others are on the server: keep it running for them, or stop it.
     * The runner asks over whatever scene shows (client_input takes the keys). */
    bool host_leave_ask;
    bool host_leave_quits; /* the window was closed: the run ends after the answer */
    int host_leave_focus;  /* a client_host_leave_t */
    /* Sounds the scenes asked for this frame (client_sfx); the frame loop plays and empties
     * it after update, so scene tests read it without an audio device. */
    sfx_event_t sfx[CLIENT_SFX_QUEUE];
    int nsfx;
};

#define CLIENT_LEAVE_BUTTON_W 520 /* the host's question: its three buttons, one under another */
#define CLIENT_LEAVE_BUTTON_H 48

typedef enum client_host_leave {
    CLIENT_LEAVE_KEEP, /* keep the server running for the others */
    CLIENT_LEAVE_STOP, /* stop it: their round ends with its results */
    CLIENT_LEAVE_CANCEL,
    CLIENT_LEAVE_COUNT
} client_host_leave_t;

/* Makes c (zeroed first) show scenes[SCENE_MENU]; scenes is SCENE_COUNT scenes in scene_id_t
 * order and outlives c. app_init (app.h) passes the game's own. */
void client_init(client_t *c, const scene_t *const *scenes, const client_net_ops_t *net,
                 const client_host_ops_t *host);
const scene_t *client_scene(const client_t *c);
void client_goto(client_t *c, scene_id_t id); /* leave + enter happen at once */
void client_input(client_t *c, const input_event_t *ev);
void client_update(client_t *c); /* the host's tick, pings when due, then the scene's update() */
void client_send(client_t *c, const msg_t *m);
void client_connect(client_t *c, const char *host, int port); /* goes to SCENE_CONNECT */

/* Called by the network layer. Messages that open a scene ("log in" -> username,
 * "lobby" -> lobby, "select world" -> vote, "game start" -> game, "fin" -> end) switch
 * scenes before the scene gets them; "ping" is answered; the session takes what it keeps
 * (session_on_message); the rest go to the scene. */
void client_on_connected(client_t *c);
void client_on_connect_failed(client_t *c, const char *why);
void client_on_message(client_t *c, const msg_t *m);
/* Connection lost (or a protocol error): back to the menu with why as the notice; but in a
 * vote, round or end screen with a resume token, the scene freezes and the client reconnects
 * for up to SESSION_RECONNECT_MS to take its place back (docs/PROTOCOL.md). */
void client_on_lost(client_t *c, const char *why);
/* Gives up reconnecting (the overlay's Cancel): back to the menu. */
void client_cancel_reconnect(client_t *c);

/* Queues n sounds for this frame (what does not fit is dropped). */
void client_sfx(client_t *c, const sfx_event_t *ev, int n);
/* Queues one sound at the centre. */
void client_sfx_play(client_t *c, sfx_sound_t sound, float volume);

/* snprintf for text that may be cut short on purpose (messages shown to the player). */
void client_fmt(char *dst, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Leaves the server on purpose: sends "quit", closes, stops a hosted server, back to the menu.
 * A host with others on the server is asked first (host_leave_ask) whether to keep it running. */
void client_leave_server(client_t *c);
/* True when leaving now would ask the host first (hosting, others on the server): that question,
 * with its Cancel, is then the only one a scene asks before leaving. */
bool client_leave_asks_host(const client_t *c);
/* What a host leaving its server does with it. */
typedef enum client_server_fate {
    CLIENT_SERVER_KEEP, /* it runs on for the others (chosen, or the window closed twice) */
    CLIENT_SERVER_STOP, /* the host chose to stop it: their rounds end with results */
    CLIENT_SERVER_STOP_IF_ALONE, /* nobody counted here: it stops unless the server knows others */
} client_server_fate_t;
/* The menu's line about the server we hosted, left running for others. */
void client_tell_kept(client_t *c, int others);
/* Leaves at once without asking; a server we host meets fate (not hosting: fate is unused). */
void client_leave_now(client_t *c, client_server_fate_t fate);
/* The window is closing: the run ends, after the same question for a host with others on. */
void client_request_quit(client_t *c);
/* The answer to the host's question (a client_host_leave_t). */
void client_host_leave_answer(client_t *c, int answer);
/* Players on our server besides us, as far as we know (the lobby's view, our round; on the end
 * screen the round's players who have not left the server, by "group"). */
int client_others_on_server(const client_t *c);
/* Where the question's buttons are: i is a client_host_leave_t. */
void client_host_leave_button(const client_t *c, int i, int *x, int *y, int *w, int *h);
/* Stops the server we host, if any; if_alone (our login, or NULL): only if nobody else is on. */
void client_stop_hosting(client_t *c, const char *if_alone);
/* Writes c->settings to c->settings_path (if set). Returns 0 or -1 with err. */
int client_save_settings(client_t *c, char *err, size_t errlen);
/* The platform layer calls this after drawing a frame of the current scene, ready being the
 * scene's ready(): it ends the run after the end screen of round --quit-after-rounds. */
void client_frame_drawn(client_t *c, bool ready);
/* The process's exit status once the run loop has ended: exit_code, but not 0 when
 * --quit-after-rounds N was given and round N never ended (the window closed, Quit, a signal). */
int client_exit_status(const client_t *c);
/* True when m would open another scene while the current one has not been drawn yet (for at
 * most CLIENT_SHOW_WAIT_MS): the network layer then keeps m for the next frame, so every
 * scene is seen (and its screenshot taken) even when the server moves on at once. */
#define CLIENT_SHOW_WAIT_MS 1000
bool client_message_waits(const client_t *c, const msg_t *m);

#endif
