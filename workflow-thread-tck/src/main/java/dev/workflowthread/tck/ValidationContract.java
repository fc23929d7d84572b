package dev.workflowthread.tck;

/** Part of the contract suite. */
public abstract class ValidationContract extends ContractSupport {
}
