package dev.tomoyoctl.daemon;

import dev.tomoyoctl.policy.DomainId;
import dev.tomoyoctl.policy.PolicyDirectory;
import dev.tomoyoctl.policy.PolicyError;
import dev.tomoyoctl.policy.PolicyParseException;
import dev.tomoyoctl.policy.PolicySet;
import dev.tomoyoctl.policy.TomoyoName;
import dev.tomoyoctl.policy.model.Domain;
import dev.tomoyoctl.policy.model.DomainFlag;
import dev.tomoyoctl.policy.model.DomainPolicy;
import dev.tomoyoctl.policy.model.ExceptionLine;
import dev.tomoyoctl.policy.model.ExceptionPolicy;
import dev.tomoyoctl.policy.model.ProfilePolicy;
import dev.tomoyoctl.policy.model.TransitionControl;
import dev.tomoyoctl.policy.model.TransitionType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The tomoyoctl daemon: keeps the policy, drives the kernel, turns kernel events into policy and
 * audit records, and serves the control socket.
 *
 * <p>Threads: all state (policy, journal, audit log, domain names) belongs to one "core" thread;
 * control requests and event drains are tasks on it, so they never interleave. A "pump" thread
 * only waits for the ring buffer (short polls under a lock, since the ring allows one poller or
 * drainer at a time) and then runs a drain on the core thread. Control ops that need every
 * event handled first (learn-finish, policy changes) drain on the core thread themselves.
 * Netty's event loop only parses and writes lines.
 *
 * <p>Durability of learning: a learned rule goes to the journal (fdatasync) before its ring
 * records are released; domain_policy.conf is rewritten from memory at most every
 * {@link DaemonConfig#checkpointMillis()} ms, after control ops that change policy, and at stop,
 * and the journal is emptied after each rewrite.
 */
public final class Daemon implements ControlService {
    private static final Logger LOG = Logger.getLogger(Daemon.class.getName());
    private static final int DRAIN_BATCH = 4096;

    private final DaemonConfig config;
    private final Kernel kernel;
    private final ScheduledExecutorService core;
    private final AuditLog audit;
    private final Instant started = Instant.now();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    /** Held around every poll and drain of the event source: the ring allows one at a time. */
    private final ReentrantLock ringLock = new ReentrantLock(true); // fair: a waiting drain goes next
    private final List<String> startupWarnings = new ArrayList<>();

    // Core-thread state.
    private PolicySet policy;
    private EventProcessor processor;
    private LearnJournal journal;
    private boolean dirty;
    private Instant lastCheckpoint;
    private IOException lastCommitError;
    private boolean unloaded;
    private long checkpoints;

    private volatile boolean running = true;
    /** Set when the event source goes away (unload): the pump ends, the daemon goes on briefly. */
    private volatile boolean pumpStop;
    private ControlServer server;
    private Thread pump;

    private Daemon(DaemonConfig config, Kernel kernel) {
        this.config = config;
        this.kernel = kernel;
        this.core = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tomoyoctl-core");
            t.setDaemon(false);
            return t;
        });
        this.audit = new AuditLog(config.logDir(), AuditLog.DEFAULT_CAPACITY);
    }

    /** The daemon could not start; the details are "file:line: reason" lines where there are some. */
    public static final class StartException extends Exception {
        private final List<String> details;

        StartException(String message, List<String> details, Throwable cause) {
            super(message, cause);
            this.details = List.copyOf(details);
        }

        public List<String> details() {
            return details;
        }
    }

    /**
     * Loads the policy (creating TOMOYO's default profile.conf and a {@code <kernel>} domain in an
     * empty directory), replays the learn journal, installs the policy in the kernel, starts the
     * event pump and listens on the control socket. The kernel is owned by the daemon from now on.
     */
    public static Daemon start(DaemonConfig config, Kernel kernel) throws StartException {
        Daemon d = new Daemon(config, kernel);
        try {
            d.core.submit(() -> {
                d.init();
                return null;
            }).get();
        } catch (ExecutionException | InterruptedException e) {
            Throwable c = e instanceof ExecutionException ? e.getCause() : e;
            d.core.shutdownNow();
            d.audit.close();
            kernel.close();
            if (c instanceof StartException se) {
                throw se;
            }
            throw new StartException("cannot start: " + c, List.of(), c);
        }
        try {
            d.server = ControlServer.start(config.socket(), d);
        } catch (IOException e) {
            d.shutdownCore();
            throw new StartException("cannot listen on " + config.socket() + ": " + e.getMessage(), List.of(), e);
        }
        if (kernel.events() != null) {
            d.pump = new Thread(d::pumpLoop, "tomoyoctl-events");
            d.pump.start();
        }
        d.core.scheduleWithFixedDelay(d::periodicCheckpoint, config.checkpointMillis(), config.checkpointMillis(),
                TimeUnit.MILLISECONDS);
        LOG.info("tomoyoctl daemon running: policy " + config.policyDir() + ", socket " + config.socket()
                + ", generation " + kernel.generation());
        return d;
    }

    private void init() throws StartException {
        Path dir = config.policyDir();
        try {
            if (initializeIfEmpty(dir)) {
                LOG.info("created TOMOYO's default policy in " + dir);
            }
            PolicySet p = loadPolicy(dir);
            LearnJournal.Opened o = LearnJournal.open(config.journal());
            journal = o.journal();
            startupWarnings.addAll(o.problems());
            if (!o.entries().isEmpty()) {
                startupWarnings.addAll(EventProcessor.replay(p, o.entries()));
                LOG.info("replayed " + o.entries().size() + " learned entries from " + config.journal());
                dirty = true;
            }
            Kernel.Prepared prepared = kernel.prepare(p);
            startupWarnings.addAll(prepared.warnings());
            kernel.apply(prepared);
            policy = p;
            processor = new EventProcessor(p, DomainNames.of(p), audit, Daemon::wallClock);
            if (dirty) {
                checkpoint();
            }
            lastCheckpoint = Instant.now();
        } catch (ControlException e) {
            throw new StartException(e.getMessage(), e.details(), e);
        } catch (IOException e) {
            throw new StartException("cannot start: " + e.getMessage(), List.of(), e);
        }
        for (String w : startupWarnings) {
            LOG.warning(w);
        }
    }

    /**
     * A policy directory without any policy file gets what tomoyo-init creates: TOMOYO's default
     * profile.conf (profiles 0-3) and the domain {@code <kernel>} with use_profile 0.
     */
    static boolean initializeIfEmpty(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (String f : List.of(PolicySet.DOMAIN_POLICY, PolicySet.EXCEPTION_POLICY, PolicySet.PROFILE)) {
            if (Files.exists(dir.resolve(f))) {
                return false;
            }
        }
        DomainPolicy domains = new DomainPolicy();
        domains.getOrCreate(DomainId.KERNEL_NAME, 0);
        new PolicySet(domains, new ExceptionPolicy(), ProfilePolicy.tomoyoDefault(), Map.of()).save(dir);
        return true;
    }

    /** Parses a policy directory; errors become a ControlException with "DIR/FILE:LINE: reason" details. */
    static PolicySet loadPolicy(Path dir) {
        PolicySet p;
        try {
            p = PolicyDirectory.load(dir);
        } catch (PolicyParseException e) {
            List<String> details = new ArrayList<>();
            for (PolicyError err : e.errors()) {
                details.add(dir.resolve(err.file()) + ":" + err.line() + ": " + err.reason());
            }
            throw new ControlException("policy in " + dir + " not loaded: " + details.size()
                    + (details.size() == 1 ? " error" : " errors") + "; nothing was changed", details);
        } catch (NoSuchFileException e) {
            throw new ControlException("policy not loaded: " + dir + " is not a policy directory");
        } catch (IOException e) {
            throw new ControlException("policy not loaded: cannot read " + dir + ": " + e.getMessage());
        }
        // TOMOYO's <kernel> domain always exists: tasks that predate the programs live there.
        p.ensureDomain(DomainId.KERNEL_NAME, 0);
        return p;
    }

    /** bpf_ktime_get_ns() is CLOCK_MONOTONIC, as System.nanoTime() is on Linux. */
    static Instant wallClock(long ktimeNs) {
        long age = System.nanoTime() - ktimeNs;
        Instant now = Instant.now();
        return age > 0 ? now.minusNanos(age) : now;
    }

    // ---------------------------------------------------------------------------------------
    // events

    private void pumpLoop() {
        EventSource events = kernel.events();
        while (running && !pumpStop) {
            try {
                boolean ready;
                ringLock.lockInterruptibly();
                try {
                    // A control op waiting to drain goes first (the fair lock hands it over).
                    ready = !ringLock.hasQueuedThreads() && events.poll(250);
                } finally {
                    ringLock.unlock();
                }
                if (!running || pumpStop) {
                    break;
                }
                if (ready) {
                    core.submit(this::drainNow).get();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException e) {
                LOG.log(Level.WARNING, "event drain failed", e.getCause());
            } catch (RuntimeException e) {
                if (!running || pumpStop) {
                    return; // the core or the ring is gone: stopping
                }
                LOG.log(Level.WARNING, "event pump", e);
                try {
                    Thread.sleep(1000); // a persistent failure must not flood the log
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /**
     * Core thread: handles every available record, committing learned policy before release.
     * Returns false if learned rules could not be made durable (their records stay in the ring
     * and come again; the pending journal entries stay queued for the next commit).
     */
    private boolean drainNow() {
        EventSource events = unloaded ? null : kernel.events();
        if (events == null) {
            return true;
        }
        events.wakeup(); // end the pump's poll early
        ringLock.lock();
        try {
            while (events.drain(DRAIN_BATCH, processor::accept, this::commit) > 0) {
                // until the ring is empty
            }
            lastCommitError = null;
            return true;
        } catch (UncheckedIOException e) {
            lastCommitError = e.getCause();
            LOG.warning("cannot write learned policy to " + config.journal() + ": " + e.getCause()
                    + " (the kernel keeps the events until it can)");
            return false;
        } finally {
            ringLock.unlock();
        }
    }

    /** drainNow for control ops: failure to persist learned rules is the op's failure. */
    private void drainOrFail() {
        if (!drainNow()) {
            throw new ControlException("learned rules could not be written to " + config.journal() + ": "
                    + lastCommitError.getMessage());
        }
    }

    /** Core thread, from inside a drain: makes pending journal entries durable. */
    private void commit() {
        List<LearnJournal.Entry> pending = processor.pending();
        if (!pending.isEmpty()) {
            try {
                journal.append(pending);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            pending.clear();
            dirty = true;
        }
        List<String> changed = processor.takeChangedDomains();
        if (!changed.isEmpty() && !unloaded) {
            try {
                kernel.refreshDomains(policy, changed);
            } catch (IOException | RuntimeException e) {
                // The kernel holds what it learned; only the user-space-only fields lag behind.
                LOG.warning("could not refresh " + changed.size() + " learned domains in the kernel: " + e.getMessage());
            }
        }
    }

    private void periodicCheckpoint() {
        if (dirty && Duration.between(lastCheckpoint, Instant.now()).toMillis() >= config.checkpointMillis()) {
            try {
                checkpoint();
            } catch (IOException e) {
                LOG.warning("cannot write the policy to " + config.policyDir() + ": " + e
                        + " (learned rules are safe in " + config.journal() + ")");
            }
        }
    }

    /** Writes the whole policy to the policy directory (atomically per file), then empties the journal. */
    private void checkpoint() throws IOException {
        policy.save(config.policyDir());
        journal.truncate();
        dirty = false;
        lastCheckpoint = Instant.now();
        checkpoints++;
    }

    private void checkpointOrFail() {
        try {
            checkpoint();
        } catch (IOException e) {
            throw new ControlException("the kernel has the new policy, but writing it to " + config.policyDir()
                    + " failed: " + e.getMessage());
        }
    }

    // ---------------------------------------------------------------------------------------
    // control ops (all on the core thread)

    @Override
    public CompletableFuture<Map<String, Object>> execute(Request request) {
        if (!running) {
            return CompletableFuture.failedFuture(new ControlException("the daemon is stopping"));
        }
        CompletableFuture<CompletableFuture<Map<String, Object>>> f = new CompletableFuture<>();
        try {
            core.execute(() -> {
                try {
                    f.complete(dispatch(request));
                } catch (RuntimeException e) {
                    f.completeExceptionally(e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new ControlException("the daemon is stopping"));
        }
        return f.thenCompose(x -> x);
    }

    private CompletableFuture<Map<String, Object>> dispatch(Request r) {
        if (r instanceof Request.Status) {
            return done(status());
        } else if (r instanceof Request.Domains) {
            return done(domains());
        } else if (r instanceof Request.PolicyShow s) {
            return done(policyShow(s));
        } else if (r instanceof Request.PolicySave s) {
            return done(policySave(s));
        } else if (r instanceof Request.PolicyLoad l) {
            return done(policyLoad(l));
        } else if (r instanceof Request.ProfileSet p) {
            return done(profileSet(p));
        } else if (r instanceof Request.LearnStart l) {
            return done(learnStart(l));
        } else if (r instanceof Request.LearnFinish l) {
            return done(learnFinish(l));
        } else if (r instanceof Request.Audit a) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("records", audit.recent(a.limit()).stream().map(AuditRecord::toJson).toList());
            return done(m);
        } else if (r instanceof Request.Unload) {
            return done(unload());
        }
        throw new ControlException("op '" + r.op() + "' is not served by this daemon");
    }

    private static CompletableFuture<Map<String, Object>> done(Map<String, Object> m) {
        return CompletableFuture.completedFuture(m);
    }

    private Map<String, Object> status() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pid", ProcessHandle.current().pid());
        String v = Daemon.class.getPackage().getImplementationVersion();
        m.put("version", v == null ? "development build" : v);
        m.put("uptimeSeconds", Duration.between(started, Instant.now()).toSeconds());
        m.put("socket", config.socket().toString());
        m.put("policyDir", config.policyDir().toString());
        m.put("logDir", config.logDir().toString());
        m.put("kernel", unloaded ? Map.of("state", "unloaded") : kernel.status());
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("generation", kernel.generation());
        p.put("domains", policy.domainPolicy().size());
        p.put("exceptionLines", policy.exceptionPolicy().lines().size());
        p.put("journalEntries", journal.entries());
        p.put("savedAt", lastCheckpoint.toString());
        p.put("unsaved", dirty);
        m.put("policy", p);
        m.put("events", processor.counters());
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("written", audit.written());
        a.put("writeErrors", audit.writeErrors());
        m.put("audit", a);
        if (!startupWarnings.isEmpty()) {
            m.put(Protocol.WARNINGS, startupWarnings);
        }
        return m;
    }

    private Map<String, Object> domains() {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Domain d : policy.domainPolicy().domains()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("name", d.name());
            e.put("profile", d.profile());
            e.put("permissions", d.quotaCount());
            List<String> flags = d.flags().stream().map(DomainFlag::keyword).toList();
            if (!flags.isEmpty()) {
                e.put("flags", flags);
            }
            list.add(e);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("domains", list);
        return m;
    }

    /** The named domain and, if asked, every domain below it, in policy order. */
    private List<Domain> select(String name, boolean recursive) {
        if (policy.domain(name) == null) {
            throw new ControlException("no domain '" + name + "' in the policy (see: tomoyoctl domains --flat)");
        }
        List<Domain> out = new ArrayList<>();
        for (Domain d : policy.domainPolicy().domains()) {
            if (d.name().equals(name) || (recursive && d.name().startsWith(name + " "))) {
                out.add(d);
            }
        }
        return out;
    }

    private Map<String, Object> policyShow(Request.PolicyShow s) {
        String text;
        if (s.domain() == null) {
            text = policy.printDomainPolicy();
        } else {
            StringBuilder sb = new StringBuilder();
            for (Domain d : select(s.domain(), s.recursive())) {
                sb.append(d.print());
            }
            text = sb.toString();
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("policy", text);
        return m;
    }

    private Map<String, Object> policySave(Request.PolicySave s) {
        Path target = s.dir() == null ? config.policyDir() : Path.of(s.dir());
        try {
            if (target.equals(config.policyDir())) {
                checkpoint();
            } else {
                policy.save(target);
            }
        } catch (IOException e) {
            throw new ControlException("cannot save the policy to " + target + ": " + e.getMessage());
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dir", target.toString());
        m.put("domains", policy.domainPolicy().size());
        return m;
    }

    /**
     * All or nothing: parse every file and compile the whole policy before the kernel is touched;
     * on any error nothing changes. From the daemon's own policy directory, rules learned since
     * the files were last written (the journal) are applied over them, so a reload never drops
     * learning; from another directory the loaded policy replaces everything, and is then saved
     * as the daemon's policy.
     */
    private Map<String, Object> policyLoad(Request.PolicyLoad l) {
        Path source = l.dir() == null ? config.policyDir() : Path.of(l.dir());
        PolicySet fresh = loadPolicy(source);
        List<String> warnings = new ArrayList<>();
        drainOrFail(); // everything learned so far is in the journal now
        if (source.equals(config.policyDir()) && journal.entries() > 0) {
            try {
                LearnJournal.Opened o = LearnJournal.open(config.journal());
                o.journal().close();
                warnings.addAll(EventProcessor.replay(fresh, o.entries()));
            } catch (IOException e) {
                throw new ControlException("cannot read the learn journal " + config.journal() + ": " + e.getMessage());
            }
        }
        long generation = install(fresh, warnings);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dir", source.toString());
        m.put("domains", fresh.domainPolicy().size());
        m.put("generation", generation);
        if (!warnings.isEmpty()) {
            m.put(Protocol.WARNINGS, warnings);
        }
        return m;
    }

    /** Compiles, applies and adopts a new policy, then saves it; nothing changes if compiling fails. */
    private long install(PolicySet fresh, List<String> warnings) {
        if (unloaded) {
            throw new ControlException("the programs were unloaded; restart the daemon");
        }
        Kernel.Prepared prepared = kernel.prepare(fresh);
        warnings.addAll(prepared.warnings());
        long generation;
        try {
            generation = kernel.apply(prepared);
        } catch (IOException e) {
            throw new ControlException("the kernel refused the policy update: " + e.getMessage()
                    + " (the previous generation " + kernel.generation() + " stays in force)");
        }
        DomainNames names = DomainNames.of(fresh);
        DomainNames old = processor.names();
        processor.reset(fresh, merge(names, old));
        policy = fresh;
        checkpointOrFail();
        return generation;
    }

    /** Names of the new policy, plus the ones learned from events (an id always hashes its name). */
    private static DomainNames merge(DomainNames fresh, DomainNames old) {
        old.forEach(fresh::putIfAbsent);
        return fresh;
    }

    /** A deep copy to change and install (the running policy stays intact if installing fails). */
    private PolicySet copyOfPolicy() {
        try {
            return PolicySet.parse(policy.printDomainPolicy(), policy.printExceptionPolicy(), policy.printProfiles(),
                    policy.opaqueFiles());
        } catch (PolicyParseException e) {
            throw new IllegalStateException("the printed policy does not parse back: " + e.errors(), e);
        }
    }

    private Map<String, Object> profileSet(Request.ProfileSet p) {
        select(p.domain(), p.recursive()); // validates the name
        drainOrFail(); // the copy must hold every domain and rule the kernel reported so far
        PolicySet copy = copyOfPolicy();
        int n = 0;
        for (Domain d : copy.domainPolicy().domains()) {
            if (d.name().equals(p.domain()) || (p.recursive() && d.name().startsWith(p.domain() + " "))) {
                d.setProfile(p.profile());
                n++;
            }
        }
        List<String> warnings = new ArrayList<>();
        long generation = install(copy, warnings);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("domains", n);
        m.put("generation", generation);
        if (!warnings.isEmpty()) {
            m.put(Protocol.WARNINGS, warnings);
        }
        return m;
    }

    /**
     * Makes {@code <kernel> PROGRAM} a domain of its own, under the requested profile, before the
     * client runs PROGRAM: "initialize_domain PROGRAM from any" (so an exec of PROGRAM from any
     * domain starts that domain, now and in later runs) and the domain with use_profile N.
     */
    private Map<String, Object> learnStart(Request.LearnStart l) {
        String program = TomoyoName.encode(l.program().getBytes(StandardCharsets.UTF_8));
        if (!TomoyoName.isCorrectPath(program)) {
            throw new ControlException("'" + program + "' is not a program path TOMOYO can name");
        }
        String domain = DomainId.KERNEL_NAME + " " + program;
        drainOrFail();
        PolicySet copy = copyOfPolicy();
        TransitionControl init = new TransitionControl(null, TransitionType.INITIALIZE, program, null, true);
        boolean present = false;
        for (ExceptionLine e : copy.exceptionPolicy().lines()) {
            if (e instanceof TransitionControl t && t.type() == TransitionType.INITIALIZE && program.equals(t.program())
                    && t.domain() == null && t.namespace() == null) {
                present = true;
            }
        }
        if (!present) {
            copy.exceptionPolicy().add(init);
        }
        copy.ensureDomain(domain, l.profile()).setProfile(l.profile());
        List<String> warnings = new ArrayList<>();
        long generation = install(copy, warnings);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("domain", domain);
        m.put("profile", l.profile());
        m.put("exception", init.text());
        m.put("generation", generation);
        if (!warnings.isEmpty()) {
            m.put(Protocol.WARNINGS, warnings);
        }
        return m;
    }

    /**
     * Everything the command did was reported by the kernel before the client asks (a ring
     * record is committed in the hook, before the syscall returns): drain, persist, answer.
     */
    private Map<String, Object> learnFinish(Request.LearnFinish l) {
        select(l.domain(), true);
        drainOrFail();
        if (dirty) {
            checkpointOrFail();
        }
        StringBuilder sb = new StringBuilder();
        int domains = 0;
        int permissions = 0;
        for (Domain d : select(l.domain(), true)) {
            sb.append(d.print());
            domains++;
            permissions += d.quotaCount();
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("policy", sb.toString());
        m.put("domains", domains);
        m.put("permissions", permissions);
        return m;
    }

    private Map<String, Object> unload() {
        // Everything the kernel reported until now is kept; then the pump lets go of the ring.
        drainNow();
        pumpStop = true;
        EventSource events = kernel.events();
        if (events != null) {
            events.wakeup();
        }
        ringLock.lock(); // the pump is not inside poll while we hold this
        try {
            unloaded = true;
            kernel.unload();
        } catch (IOException e) {
            throw new ControlException("unload failed: " + e.getMessage());
        } finally {
            ringLock.unlock();
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("message", "programs detached and pins removed; enforcement is off; the daemon is stopping");
        // Answer first: stop (which closes the socket) once this response has been handed to Netty.
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            stop();
        }, "tomoyoctl-unload");
        t.start();
        return m;
    }

    @Override
    public Subscription followAudit(Request.Audit request, Consumer<Map<String, Object>> sink) {
        CompletableFuture<Runnable> unsubscribe = new CompletableFuture<>();
        try {
            core.execute(() -> {
                Map<String, Object> first = new LinkedHashMap<>();
                first.put("records", audit.recent(request.limit()).stream().map(AuditRecord::toJson).toList());
                sink.accept(first);
                unsubscribe.complete(audit.subscribe(r -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("record", r.toJson());
                    sink.accept(m);
                }));
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            unsubscribe.complete(() -> { });
        }
        return () -> unsubscribe.thenAccept(Runnable::run);
    }

    // ---------------------------------------------------------------------------------------
    // lifecycle

    /** Blocks until the daemon has stopped (unload, {@link #stop}). */
    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    /**
     * Stops: no new requests, last drain, policy written, socket closed. The kernel's programs
     * stay attached through their pins (unless unloaded): enforcement outlives the daemon.
     */
    public void stop() {
        if (!stopping.compareAndSet(false, true)) {
            return;
        }
        running = false;
        EventSource events = kernel.events();
        if (pump != null && events != null) {
            try {
                events.wakeup();
            } catch (RuntimeException e) {
                // closed by unload: the pump is ending anyway
            }
            try {
                pump.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (server != null) {
            server.close();
        }
        try {
            core.submit(() -> {
                drainNow();
                if (dirty) {
                    try {
                        checkpoint();
                    } catch (IOException e) {
                        LOG.warning("policy not written at stop: " + e + " (learned rules are in " + config.journal() + ")");
                    }
                }
                return null;
            }).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.log(Level.WARNING, "final drain failed", e);
        }
        shutdownCore();
        LOG.info("tomoyoctl daemon stopped");
        stopped.countDown();
    }

    private void shutdownCore() {
        core.shutdown();
        try {
            core.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        kernel.close();
        audit.close();
        if (journal != null) {
            try {
                journal.close();
            } catch (IOException e) {
                LOG.fine("journal close: " + e);
            }
        }
    }

    public DaemonConfig config() {
        return config;
    }
}
