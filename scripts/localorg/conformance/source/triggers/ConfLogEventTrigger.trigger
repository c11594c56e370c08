/** Subscriber of Conf_Log_Event__e (PublishImmediately): one Conf_Item__c per event. */
trigger ConfLogEventTrigger on Conf_Log_Event__e(after insert) {
    List<Conf_Item__c> items = new List<Conf_Item__c>();
    for (Conf_Log_Event__e e : Trigger.new) {
        items.add(new Conf_Item__c(Title__c = 'log ' + e.Title__c));
    }
    insert items;
}
