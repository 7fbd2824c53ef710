package io.socktrace.agent.bootstrap;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The endpoints of one recording and their aggregates, within the endpoint cap: beyond {@code maxEndpoints},
 * connections count in one shared aggregate ("other") and are counted as lumped. Also caches the
 * {@link Endpoint} of each address, since formatting an address is the costliest part of recording a connect and
 * a JVM talks to few endpoints.
 */
final class EndpointRegistry {

    private static final Endpoint OTHER_ENDPOINTS = new Endpoint("other", 0, null);

    private final RecorderSettings settings;
    private final ConcurrentHashMap<Endpoint, EndpointAggregate> endpoints = new ConcurrentHashMap<>();
    private final EndpointAggregate otherEndpoints;
    private final ConcurrentHashMap<InetSocketAddress, Endpoint> remoteCache = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<InetSocketAddress, Endpoint> listeningCache = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<InetAddress, InetAddress> addresses = new ConcurrentHashMap<>();
    private final LongAdder lumped = new LongAdder();

    EndpointRegistry(RecorderSettings settings) {
        this.settings = settings;
        this.otherEndpoints = new EndpointAggregate(OTHER_ENDPOINTS, settings);
    }

    /** The endpoint of a remote address, or for {@code accepted} connections of the listening address. */
    Endpoint endpoint(InetSocketAddress address, boolean accepted) {
        Map<InetSocketAddress, Endpoint> cache = accepted ? listeningCache : remoteCache;
        Endpoint endpoint = cache.get(address);
        if (endpoint == null) {
            endpoint = accepted ? Endpoint.listening(address) : Endpoint.of(address);
            if (cache.size() < settings.maxEndpoints()) {
                cache.put(address, endpoint);
            }
        }
        return endpoint;
    }

    /**
     * One shared object per local address (within the endpoint cap), so that connections and their cycles do not
     * each keep the copy the JDK makes per socket; {@code address} itself beyond the cap, or with an IPv6 scope
     * (which {@code equals} ignores).
     */
    InetAddress address(InetAddress address) {
        if (address == null || address instanceof Inet6Address && ((Inet6Address) address).getScopeId() != 0) {
            return address;
        }
        InetAddress shared = addresses.get(address);
        if (shared != null) {
            return shared;
        }
        if (addresses.size() < settings.maxEndpoints()) {
            addresses.putIfAbsent(address, address);
        }
        return address;
    }

    /** The aggregate a new connection (or attempt) counts in; counts those beyond the endpoint cap, once each. */
    EndpointAggregate opening(Endpoint endpoint) {
        EndpointAggregate aggregate = aggregate(endpoint);
        if (aggregate == otherEndpoints) {
            lumped.increment();
        }
        return aggregate;
    }

    EndpointAggregate aggregate(Endpoint endpoint) {
        EndpointAggregate aggregate = endpoints.get(endpoint);
        if (aggregate != null) {
            return aggregate;
        }
        if (endpoints.size() >= settings.maxEndpoints()) {
            return otherEndpoints;
        }
        // rare (at most maxEndpoints times): check and add under one lock so that racing threads cannot overshoot
        synchronized (endpoints) {
            aggregate = endpoints.get(endpoint);
            if (aggregate != null) {
                return aggregate;
            }
            if (endpoints.size() >= settings.maxEndpoints()) {
                return otherEndpoints;
            }
            aggregate = new EndpointAggregate(endpoint, settings);
            endpoints.put(endpoint, aggregate);
            return aggregate;
        }
    }

    /** Copies of every aggregate in endpoint order, with the open connections counted in each. */
    List<EndpointSnapshot> snapshots(Iterable<ConnectionRecord> open) {
        return copies(open, false);
    }

    /** The same, counters only ({@link EndpointAggregate#counters}). */
    List<EndpointSnapshot> counters(Iterable<ConnectionRecord> open) {
        return copies(open, true);
    }

    private List<EndpointSnapshot> copies(Iterable<ConnectionRecord> open, boolean countersOnly) {
        Map<Endpoint, Integer> openBy = new java.util.HashMap<>();
        CloseWaits closeWaits = new CloseWaits(settings.closeWaitNanos());
        OpenConnections stillOpen = countersOnly ? null
                : new OpenConnections(OpenConnections.PER_ENDPOINT, OpenConnections.IN_ALL);
        for (ConnectionRecord record : open) {
            Endpoint endpoint = endpoints.containsKey(record.endpoint) ? record.endpoint : OTHER_ENDPOINTS;
            openBy.merge(endpoint, 1, Integer::sum);
            closeWaits.check(endpoint, record);
            if (stillOpen != null) {
                stillOpen.add(endpoint, record);
            }
        }
        List<EndpointSnapshot> snapshots = new ArrayList<>();
        for (EndpointAggregate aggregate : endpoints.values()) {
            snapshots.add(copy(aggregate, openBy, closeWaits, stillOpen));
        }
        EndpointSnapshot other = copy(otherEndpoints, openBy, closeWaits, stillOpen);
        if (other.opened() + other.openedBefore() + other.failedConnects() > 0) {
            snapshots.add(other);
        }
        snapshots.sort(Comparator.comparing(s -> s.endpoint().toString()));
        return snapshots;
    }

    /** {@code stillOpen} is {@code null} for counters only. */
    private static EndpointSnapshot copy(EndpointAggregate aggregate, Map<Endpoint, Integer> openBy,
                                         CloseWaits closeWaits, OpenConnections stillOpen) {
        Endpoint endpoint = aggregate.endpoint();
        int openNow = openBy.getOrDefault(endpoint, 0);
        int waiting = closeWaits.count(endpoint);
        return stillOpen == null ? aggregate.counters(openNow, waiting)
                : aggregate.snapshot(openNow, waiting, closeWaits.leaks(endpoint), stillOpen.kept(endpoint),
                        stillOpen.omitted(endpoint));
    }

    /** Connections to endpoints beyond the cap. */
    long lumped() {
        return lumped.sum();
    }
}
