/* lan_sdl.c -- the LAN browser's datagram socket on SDL2_net: SDLNet_UDP_Open on an ephemeral
 * port, SDLNet_UDP_Send to each probed address, SDLNet_UDP_Recv for the answers */
#include "lan_sdl.h"

#include <SDL_net.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct lan_sdl {
    UDPsocket sock;
    UDPpacket *in;  /* LAN_MAX_DATAGRAM + 1 bytes: a longer answer shows as too long */
    UDPpacket *out; /* PROTO_DISCOVER_MIN_SIZE bytes: one probe */
} lan_sdl_t;

static void lan_sdl_close(void *io)
{
    lan_sdl_t *s = io;
    if (s->sock)
        SDLNet_UDP_Close(s->sock);
    SDLNet_FreePacket(s->in);
    SDLNet_FreePacket(s->out);
    free(s);
}

/* SDL2_net's UDP socket may send to broadcast addresses (it sets SO_BROADCAST). */
static void *lan_sdl_open(char *err, size_t errlen)
{
    lan_sdl_t *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    s->sock = SDLNet_UDP_Open(0);
    s->in = SDLNet_AllocPacket(LAN_MAX_DATAGRAM + 1);
    s->out = SDLNet_AllocPacket(PROTO_DISCOVER_MIN_SIZE);
    if (!s->sock || !s->in || !s->out) {
        snprintf(err, errlen, "discovery socket: %s", SDLNet_GetError());
        lan_sdl_close(s);
        return NULL;
    }
    return s;
}

static int lan_sdl_send(void *io, uint32_t addr, int port, const void *data, size_t len, char *why,
                        size_t whylen)
{
    lan_sdl_t *s = io;
    if (len > (size_t)s->out->maxlen) {
        snprintf(why, whylen, "probe too long");
        return -1;
    }
    memcpy(s->out->data, data, len);
    s->out->len = (int)len;
    SDLNet_Write32(addr, &s->out->address.host);
    SDLNet_Write16((Uint16)port, &s->out->address.port);
    errno = 0;
    if (SDLNet_UDP_Send(s->sock, -1, s->out) == 1 && s->out->status >= 0)
        return 0;
    /* SDL2_net sets no message for a failed send; on POSIX the reason is still in errno. */
    snprintf(why, whylen, "%s", errno ? strerror(errno) : "cannot send");
    return -1;
}

static long lan_sdl_recv(void *io, void *buf, size_t cap, uint32_t *from, int64_t *arrived_us)
{
    lan_sdl_t *s = io;
    *arrived_us = 0; /* SDL2_net has no arrival stamps: the browser reads its clock */
    for (;;) {
        int got = SDLNet_UDP_Recv(s->sock, s->in);
        if (got <= 0)
            return got;
        if (s->in->len <= 0)
            continue; /* an empty datagram: nothing to take */
        *from = SDLNet_Read32(&s->in->address.host);
        size_t len = (size_t)s->in->len;
        memcpy(buf, s->in->data, len < cap ? len : cap);
        /* A datagram that filled the packet may have been cut: too long for the browser. */
        return len >= (size_t)s->in->maxlen ? (long)cap + 1 : (long)len;
    }
}

static int lan_sdl_local_port(const void *io)
{
    const lan_sdl_t *s = io;
    IPaddress *self = SDLNet_UDP_GetPeerAddress(s->sock, -1);
    return self ? SDLNet_Read16(&self->port) : 0;
}

const lan_io_ops_t lan_sdl_ops = {
    .open = lan_sdl_open,
    .send = lan_sdl_send,
    .recv = lan_sdl_recv,
    .local_port = lan_sdl_local_port,
    .close = lan_sdl_close,
};
