package stack

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/projectcapsule/kubectl-capsule-headlamp/sandbox/internal/podlog"
	"github.com/projectcapsule/kubectl-capsule-headlamp/sandbox/internal/standin/headlamp"
)

// headlampPod is one running Headlamp container.
type headlampPod struct {
	key types.NamespacedName
	srv *headlamp.Server
	log *podlog.Writer
}

func (h *headlampPod) close() {
	_ = h.srv.Close()
	_ = h.log.Close()
}

// syncHeadlampPod starts the pod's Headlamp container once (it then keeps what it read at start until
// the pod is replaced), forwards the pod's port to it and serves its log. A container that cannot
// start yet (a volume's Secret is missing) is retried.
func (r *podRuntime) syncHeadlampPod(ctx context.Context, p *corev1.Pod, c corev1.Container) bool {
	logFile := r.s.layout.Log("headlamp-" + p.Namespace + "-" + p.Name)
	if err := r.applyPodLogOnce(ctx, p, c.Name, logFile); err != nil {
		return true
	}
	r.mu.Lock()
	h, off := r.hl[p.UID], r.hlOff
	r.mu.Unlock()
	if off {
		return false
	}
	if h == nil {
		var err error
		if h, err = r.startHeadlamp(ctx, p, c, logFile); err != nil {
			var mount *headlamp.MountError
			if errors.As(err, &mount) {
				r.markDone("mountfail/" + string(p.UID))
				_ = r.setContainerState(ctx, p, c.Name, containerState{waiting: "ContainerCreating", message: mount.Error()})
			}
			return true
		}
	}
	if err := r.forwardOnce(ctx, p, h); err != nil {
		return true
	}
	return r.setContainerState(ctx, p, c.Name, containerState{}) != nil
}

func (r *podRuntime) startHeadlamp(ctx context.Context, p *corev1.Pod, c corev1.Container, logFile string) (*headlampPod, error) {
	log, err := podlog.Open(logFile, "stderr")
	if err != nil {
		return nil, err
	}
	// A restarted container listens where it did before, so the pod's port forward stays as it is.
	r.mu.Lock()
	listen := r.addrs[p.UID]
	r.mu.Unlock()
	if listen == "" {
		listen = Host + ":0"
	}
	cfg := headlamp.Config{Addr: listen, Kube: r.s.kube, Pod: p, Container: c.Name,
		KubeletEnv: r.s.kubeletEnv(ctx), Dial: r.s.dialCluster, Log: log}
	srv, err := headlamp.Start(ctx, cfg)
	if err != nil && listen != Host+":0" {
		cfg.Addr = Host + ":0"
		srv, err = headlamp.Start(ctx, cfg)
	}
	if err != nil {
		_ = log.Close()
		return nil, err
	}
	h := &headlampPod{key: types.NamespacedName{Namespace: p.Namespace, Name: p.Name}, srv: srv, log: log}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.hl[p.UID] != nil || r.hlOff { // raced with another start or a stop
		h.close()
		return nil, errors.New("headlamp container already handled")
	}
	r.hl[p.UID] = h
	r.addrs[p.UID] = srv.Addr()
	return h, nil
}

// forwardOnce points KWOK's port forward for the pod's Headlamp port at its container.
func (r *podRuntime) forwardOnce(ctx context.Context, p *corev1.Pod, h *headlampPod) error {
	key := "forward/" + string(p.UID) + "/" + h.srv.Addr()
	if r.done1(key) {
		return nil
	}
	host, port, err := net.SplitHostPort(h.srv.Addr())
	if err != nil {
		return err
	}
	target, _ := strconv.Atoi(port)
	if err := r.applyPortForward(ctx, p, h.srv.Port(), host, target); err != nil {
		return err
	}
	r.markDone(key)
	return nil
}

// applyPodLogOnce serves file as the container's log, once per pod.
func (r *podRuntime) applyPodLogOnce(ctx context.Context, p *corev1.Pod, c, file string) error {
	key := "log/" + string(p.UID)
	if r.done1(key) {
		return nil
	}
	if err := r.applyPodLog(ctx, p, c, file); err != nil {
		return err
	}
	r.markDone(key)
	return nil
}

func (r *podRuntime) done1(key string) bool {
	_, ok := r.doneAt(key)
	return ok
}

// doneAt is when the object key names was put in place.
func (r *podRuntime) doneAt(key string) (time.Time, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	at, ok := r.synced[key]
	return at, ok
}

func (r *podRuntime) markDone(key string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.synced[key] = time.Now()
}

// stopHeadlamp stops the container of a pod being deleted.
func (r *podRuntime) stopHeadlamp(uid types.UID) {
	r.mu.Lock()
	h := r.hl[uid]
	delete(r.hl, uid)
	delete(r.addrs, uid)
	r.mu.Unlock()
	if h != nil {
		h.close()
	}
}

// forget drops what the runtime holds for a pod that is gone.
func (r *podRuntime) forget(key types.NamespacedName) {
	r.mu.Lock()
	var gone []*headlampPod
	for uid, h := range r.hl {
		if h.key == key {
			gone = append(gone, h)
			delete(r.hl, uid)
			delete(r.addrs, uid)
		}
	}
	r.mu.Unlock()
	for _, h := range gone {
		h.close()
	}
}

// stopHeadlamps stops every Headlamp container.
func (r *podRuntime) stopHeadlamps() {
	r.mu.Lock()
	all := r.hl
	r.hl = map[types.UID]*headlampPod{}
	for k := range r.synced {
		if len(k) > 8 && k[:8] == "forward/" {
			delete(r.synced, k)
		}
	}
	r.mu.Unlock()
	for _, h := range all {
		h.close()
	}
}

// setHeadlampsRunning stops every Headlamp container (false) or lets the runtime start them again.
func (s *Stack) setHeadlampsRunning(on bool) error {
	s.mu.Lock()
	r := s.runtime
	s.mu.Unlock()
	if r == nil {
		return fmt.Errorf("the pod runtime is not running")
	}
	r.mu.Lock()
	r.hlOff = !on
	r.mu.Unlock()
	if !on {
		r.stopHeadlamps()
	}
	s.pokeRuntime()
	return nil
}

// pokeRuntime makes the runtime look at every pod now.
func (s *Stack) pokeRuntime() {
	s.mu.Lock()
	r := s.runtime
	s.mu.Unlock()
	if r == nil {
		return
	}
	r.enqueueAll()
}

func (r *podRuntime) enqueueAll() {
	pods, _ := r.podLister().List(labelsEverything)
	for _, p := range pods {
		r.queue.Add(types.NamespacedName{Namespace: p.Namespace, Name: p.Name})
	}
}

// kubeletEnv is what the kubelet gives every container: the kubernetes Service's address.
func (s *Stack) kubeletEnv(ctx context.Context) map[string]string {
	env := map[string]string{"KUBERNETES_SERVICE_HOST": "10.0.0.1", "KUBERNETES_SERVICE_PORT": "443"}
	if svc, err := s.kube.CoreV1().Services("default").Get(ctx, "kubernetes", metav1.GetOptions{}); err == nil && svc.Spec.ClusterIP != "" {
		env["KUBERNETES_SERVICE_HOST"] = svc.Spec.ClusterIP
		if len(svc.Spec.Ports) > 0 {
			env["KUBERNETES_SERVICE_PORT"] = strconv.Itoa(int(svc.Spec.Ports[0].Port))
		}
	}
	return env
}
