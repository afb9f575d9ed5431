// SPDX-License-Identifier: GPL-2.0
/*
 * cgn: carrier-grade NAT. Module and per-netns (per board) setup.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>

#include "cgn.h"

unsigned int cgn_net_id __read_mostly;

static int __net_init cgn_net_init(struct net *net)
{
	struct cgn_net *cn = cgn_pernet(net);
	int err;

	cn->net = net;
	mutex_init(&cn->cfg_mutex);
	INIT_LIST_HEAD(&cn->instances);
	INIT_LIST_HEAD(&cn->fastdevs);

	err = cgn_tables_init(cn);
	if (err)
		return err;
	err = cgn_sync_init(cn);
	if (err)
		goto err_tables;
	err = cgn_nat44_init(net);
	if (err)
		goto err_sync;
	err = cgn_dslite_init(net);
	if (err)
		goto err_nat44;
	cgn_gc_start(cn);
	return 0;

err_nat44:
	cgn_nat44_exit(net);
err_sync:
	cgn_sync_exit(cn);
err_tables:
	cgn_tables_destroy(cn);
	return err;
}

static void __net_exit cgn_net_exit(struct net *net)
{
	struct cgn_net *cn = cgn_pernet(net);

	/* Hooks first: after this no packet can reach the tables. */
	cgn_fastdev_flush(cn);	/* normally empty: devices go first */
	cgn_dslite_exit(net);
	cgn_nat44_exit(net);
	cgn_gc_stop(cn);
	mutex_lock(&cn->cfg_mutex);
	cgn_net_flush(cn);
	mutex_unlock(&cn->cfg_mutex);
	cgn_sync_exit(cn);	/* after the flush: it may queue deletions */
	cgn_tables_destroy(cn);
}

/*
 * The freed users and sessions release their routes now, before the
 * exits of IPv4 and IPv6 (registered before cgn) tear down their own.
 */
static void __net_exit cgn_net_exit_batch(struct list_head *net_list)
{
	rcu_barrier();
}

static struct pernet_operations cgn_net_ops = {
	.init = cgn_net_init,
	.exit = cgn_net_exit,
	.exit_batch = cgn_net_exit_batch,
	.id = &cgn_net_id,
	.size = sizeof(struct cgn_net),
};

static int __init cgn_init(void)
{
	int err;

	err = cgn_table_cache_init();
	if (err)
		return err;
	err = cgn_sync_wq_init();
	if (err)
		goto err_cache;
	err = register_pernet_subsys(&cgn_net_ops);
	if (err)
		goto err_wq;
	err = cgn_fastdev_init();
	if (err)
		goto err_pernet;
	err = cgn_genl_init();
	if (err)
		goto err_fastdev;
	pr_info("carrier-grade NAT loaded\n");
	return 0;

err_fastdev:
	cgn_fastdev_exit();
err_pernet:
	unregister_pernet_subsys(&cgn_net_ops);
err_wq:
	cgn_sync_wq_exit();
err_cache:
	cgn_table_cache_exit();
	return err;
}

static void __exit cgn_exit(void)
{
	cgn_sync_wq_stop();	/* no event is sent once the family is gone */
	cgn_genl_exit();
	cgn_fastdev_exit();
	unregister_pernet_subsys(&cgn_net_ops);
	cgn_sync_wq_exit();
	rcu_barrier();	/* call_rcu() callbacks of this module */
	cgn_table_cache_exit();
	pr_info("carrier-grade NAT unloaded\n");
}

module_init(cgn_init);
module_exit(cgn_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Carrier-grade NAT (NAT44, DS-Lite AFTR) with hot backup");
MODULE_AUTHOR("cgn developers");
MODULE_ALIAS_GENL_FAMILY(CGN_GENL_NAME);
